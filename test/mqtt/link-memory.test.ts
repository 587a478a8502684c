import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { connectOptions } from '../../src/mqtt/connect-options.js';
import { MqttLink } from '../../src/mqtt/mqtt-link.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

// What the daemon's MQTT link keeps and allocates (bench/README.md, "Where the memory goes").
// This file creates no MQTT client but the daemon's link: mqtt-packet's switch is process-wide,
// and any other client built with MQTT.js's default would fill the table first.

let broker: Broker;

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(() => broker.stop());

/** mqtt-packet as MQTT.js resolves it: the instance whose writes the daemon's link uses. */
function packetNumberCache(): Record<number, Buffer> {
  const fromMqtt = createRequire(createRequire(import.meta.url).resolve('mqtt'));
  return (fromMqtt('mqtt-packet/numbers.js') as { cache: Record<number, Buffer> }).cache;
}

it("publishes without building mqtt-packet's table of 65,536 number Buffers (about 14 MB)", async () => {
  const log = new EventLog(openDatabase(':memory:'), 'test-cab', new FakeClock());
  const link = new MqttLink(
    testConfig({ mqtt: { url: broker.url, reconnectMs: 100 } }),
    log,
    silentLogger(),
    { version: '9.9.9', startedAt: '2026-11-24T09:00:00.000Z' },
  );
  try {
    log.append([{ type: 'door.forced', data: {} }]);
    link.publisher.notify();
    // Acknowledged by the broker: the CONNECT, the status and the event were all written.
    await waitFor(() => log.depth() === 0, 'the event acknowledged');
    expect(Object.keys(packetNumberCache())).toHaveLength(0);
  } finally {
    await link.stop();
  }
});

describe("MQTT.js's tracing", () => {
  const will = { topic: 'keywarden/v1/test-cab/status', payload: 'offline' };
  const config = testConfig({ mqtt: { url: 'mqtt://127.0.0.1:9' } });

  it('goes to a logger that builds nothing when DEBUG is not set', () => {
    const { log } = connectOptions(config, will, {});
    expect(log).toBeTypeOf('function');
    expect(log?.('publish :: message `%s` to topic `%s`', 'payload', 'topic')).toBeUndefined();
  });

  it("stays MQTT.js's own (the debug package) when DEBUG is set, to chase a broker problem", () => {
    expect(connectOptions(config, will, { DEBUG: 'mqttjs*' }).log).toBeUndefined();
  });
});
