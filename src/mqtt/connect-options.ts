import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { KeywardenConfig } from '../config/config.js';
import { MAX_PACKET_BYTES } from '../contract/command-size.js';

/**
 * MQTT.js options from the config: MQTT 5 (or 3.1.1 for a broker without it, e.g. RabbitMQ
 * 3.10), a persistent session under a stable client id, a retained offline will, and TLS files
 * read at start so a missing certificate fails loudly.
 */
export function connectOptions(
  config: KeywardenConfig,
  will: { topic: string; payload: string },
  env: NodeJS.ProcessEnv = process.env,
): IClientOptions {
  const { mqtt } = config;
  const options: IClientOptions = {
    protocolVersion: mqtt.protocolVersion,
    clientId: mqtt.clientId ?? `keywarden-${config.cabinetId}`,
    clean: false,
    reconnectPeriod: mqtt.reconnectMs,
    connectTimeout: 10_000,
    // The SQLite outbox is the store of record: never let MQTT.js queue behind our back while
    // offline, since its memory queue dies with the process.
    queueQoSZero: false,
    // Off: mqtt-packet would otherwise pre-build one two-byte Buffer for each of the 65,536
    // packet ids and lengths on the first write, about 14 MB of RSS kept for the daemon's whole
    // life to save a 2-byte allocation per packet (bench/README.md, "Where the memory goes").
    writeCache: false,
    will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
  };
  // MQTT 5 only (MQTT 3.1.1 has no CONNECT properties: its persistent session lasts as long as
  // the broker's own setting says, and the command intake's size check is the only bound).
  // The broker drops a packet larger than the largest command instead of sending it: what an
  // unauthenticated publisher on cmd/+ can make the cabinet read is bounded before it is read.
  if (mqtt.protocolVersion === 5)
    options.properties = {
      sessionExpiryInterval: 7 * 24 * 3600,
      maximumPacketSize: MAX_PACKET_BYTES,
    };
  // MQTT.js traces through the `debug` package, which builds an argument list for every call
  // even when tracing is off: some 30 calls, about 3 KB of garbage, per published event, which
  // a backlog drain turns into RSS. Unless DEBUG is set (someone chasing a broker problem with
  // DEBUG=mqttjs*), the client gets a logger that does nothing.
  if (!env.DEBUG) options.log = ignoreTrace;
  if (mqtt.username !== undefined) options.username = mqtt.username;
  if (mqtt.password !== undefined) options.password = mqtt.password;
  if (mqtt.ca) options.ca = readFileSync(mqtt.ca);
  if (mqtt.cert) options.cert = readFileSync(mqtt.cert);
  if (mqtt.key) options.key = readFileSync(mqtt.key);
  return options;
}

function ignoreTrace(): void {}
