import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { KeywardenError } from '../../errors.js';
import { CommandSigner, readPrivateKey } from '../../reference-server/command-signer.js';
import { formatNotice } from '../../reference-server/notice-format.js';
import { requireOption, type Command, type ParsedArgs } from '../command.js';
import { keysGenerateCommand } from './keys.js';

const PREFIX = /^[^#+/$][^#+/]*(\/[^#+/]+)*$/;

/**
 * `keywarden monitor`: the reference consumer (src/reference-server/) on a terminal. Prints each event
 * of every cabinet once, loudly reports gaps, broken chains and replaced databases, acknowledges
 * the highest gap-free seq, and, given a signing key, asks for a replay of a gap that does not
 * fill by itself. Runs until SIGINT or SIGTERM, then sends the acknowledgements still pending.
 */
export const monitorCommand: Command = {
  path: ['monitor'],
  summary: 'watch every cabinet on a broker: events once, gaps, chain, acks and replays',
  usage:
    'monitor --url <mqtt://host:port> [--prefix keywarden/v1] [--signing-key <pem> --key-id <id>]\n' +
    '          [--json] [--watch-only] [--rabbitmq] [--username <name>] [--ca <pem>] [--client-id <id>]\n' +
    '  The password, if any, is read from $KEYWARDEN_MQTT_PASSWORD.\n' +
    '  --watch-only: never acknowledge nor ask for replays (beside a real central server).\n' +
    '  --rabbitmq: the broker is RabbitMQ, which delivers the dots of a topic as levels\n' +
    '    (event/key.checked_in arrives as event/key/checked_in); MQTT 3.1.1 is then used.',
  options: {
    url: { type: 'string' },
    prefix: { type: 'string' },
    'signing-key': { type: 'string' },
    'key-id': { type: 'string' },
    json: { type: 'boolean' },
    'watch-only': { type: 'boolean' },
    rabbitmq: { type: 'boolean' },
    username: { type: 'string' },
    ca: { type: 'string' },
    'client-id': { type: 'string' },
  },
  async run(args, io) {
    const url = requireOption(args, 'url');
    const prefix = typeof args.values.prefix === 'string' ? args.values.prefix : 'keywarden/v1';
    if (!PREFIX.test(prefix)) {
      throw new KeywardenError('USAGE', `--prefix "${prefix}" is not a topic prefix`);
    }
    const watchOnly = args.values['watch-only'] === true;
    const signer = watchOnly ? undefined : signerFrom(args);
    const json = args.values.json === true;
    const rabbitmq = args.values.rabbitmq === true;
    // Loaded here, not at the top: the MQTT library must not load with every command (the
    // daemon's start-up drives its outputs off before anything slow loads).
    const { FleetMonitor } = await import('../../reference-server/fleet-monitor.js');
    const monitor = new FleetMonitor({
      url,
      prefix,
      // RabbitMQ 3.10 closes an MQTT 5 connection without an answer (docs/mqtt.md).
      mqtt: { ...(rabbitmq ? { protocolVersion: 4 as const } : {}), ...mqttOptions(args) },
      brokerTopics: rabbitmq ? 'dots-as-levels' : 'as-published',
      acknowledge: !watchOnly,
      ...(signer ? { signer } : {}),
    });
    monitor.on('notice', (notice) => {
      const line = json ? JSON.stringify(notice) : formatNotice(notice);
      if (line !== undefined) io.out(line);
    });
    if (!json) {
      const mode = watchOnly
        ? 'watch only: no acknowledgements, no replays'
        : signer
          ? `acknowledging; replays signed with key ${signer.keyId}`
          : 'acknowledging; no signing key, so gaps are reported but not asked for';
      const broker = rabbitmq ? '; RabbitMQ: dots in topics read as levels' : '';
      io.out(`monitoring ${url} ${prefix}/+ (${mode}${broker}); Ctrl-C to stop`);
    }
    await untilSignal();
    await monitor.stop();
    return 0;
  },
};

export const monitorCommands: Command[] = [monitorCommand, keysGenerateCommand];

function signerFrom(args: ParsedArgs): CommandSigner | undefined {
  const file = args.values['signing-key'];
  const keyId = args.values['key-id'];
  if (file === undefined && keyId === undefined) return undefined;
  if (typeof file !== 'string' || typeof keyId !== 'string') {
    throw new KeywardenError('USAGE', '--signing-key and --key-id go together');
  }
  return new CommandSigner({ privateKey: readPrivateKey(file), keyId });
}

function mqttOptions(args: ParsedArgs): IClientOptions {
  const options: IClientOptions = {};
  const { username, ca } = args.values;
  const clientId = args.values['client-id'];
  if (typeof username === 'string') options.username = username;
  const password = process.env.KEYWARDEN_MQTT_PASSWORD;
  if (password !== undefined) options.password = password;
  if (typeof ca === 'string') options.ca = readFileSync(ca);
  if (typeof clientId === 'string') {
    // A fixed client id gets a persistent session: events published while the monitor is
    // away wait in the broker for it.
    options.clientId = clientId;
    options.clean = false;
    options.properties = { sessionExpiryInterval: 7 * 24 * 3600 };
  }
  return options;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
