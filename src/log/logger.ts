import { createRequire } from 'node:module';
import pino, {
  type DestinationStream,
  type Logger,
  type LoggerOptions as LoggerOptionsPino,
} from 'pino';
import type PinoPretty from 'pino-pretty';
import { maskCard } from '../domain/mask-card.js';
import { withoutUrlSecrets } from './secret-text.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Human-readable output; defaults to "stdout is a terminal". */
  pretty?: boolean;
  /** Where JSON lines go when not pretty (tests pass a stream to capture them). */
  destination?: NodeJS.WritableStream;
}

/** Fields whose value is a secret wherever they appear, at the top level or one level down. */
const SECRET_FIELDS = ['password', 'passphrase', 'pin', 'duressPin', 'pepper', 'secret', 'token'];
/** Fields that hold a URL: logged with any `user:password@` taken out. */
const URL_FIELDS = ['url', 'brokerUrl'];
const MASKED_FIELDS = ['card', 'tag'];

/**
 * The root logger. Card numbers are personal data and a cloneable credential on 125 kHz
 * readers, and a key's fob tag can be cloned too, so any field named `card` or `tag` is shortened
 * wherever it appears in a log line (the drivers log both raw and rely on this: drivers/logger.ts).
 * Secrets never reach the journal, which every member of `adm` and `systemd-journal` reads:
 * password, PIN and key fields are replaced, and a URL's `user:password@` is taken out of URL
 * fields, of messages and of errors (an MQTT URL with credentials in it is legal config).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const usePretty = options.pretty ?? Boolean(process.stdout.isTTY);
  const fields = [...MASKED_FIELDS, ...SECRET_FIELDS, ...URL_FIELDS];
  const base: LoggerOptionsOfPino = {
    level: options.level ?? 'info',
    redact: {
      paths: fields.flatMap((field) => [field, `*.${field}`]),
      censor: censorSecret,
    },
    serializers: { err: serializeError },
    hooks: {
      // Messages are free text: an error's message interpolated into one may carry a URL.
      logMethod(args, method) {
        const clean = args.map((arg) => (typeof arg === 'string' ? withoutUrlSecrets(arg) : arg));
        method.apply(this, clean as Parameters<typeof method>);
      },
    },
  };
  if (usePretty) return pino(base, prettyStream());
  return options.destination ? pino(base, options.destination) : pino(base);
}

/**
 * pino-pretty is for a person at a terminal (`npm start`, the demo). Loaded here, on demand, so
 * a daemon under systemd (stdout is the journal, not a terminal) never loads it: less start-up
 * time and memory, and no formatting code in the production path.
 */
function prettyStream(): DestinationStream {
  const load = createRequire(import.meta.url);
  const pretty = (load('pino-pretty') as { default: typeof PinoPretty }).default;
  return pretty({
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
}

type LoggerOptionsOfPino = LoggerOptionsPino<never>;

/** pino's own error serializer, with URL credentials taken out of the message and stack. */
function serializeError(error: Error): ReturnType<typeof pino.stdSerializers.err> {
  const serialized = pino.stdSerializers.err(error);
  if (typeof serialized.message === 'string')
    serialized.message = withoutUrlSecrets(serialized.message);
  if (typeof serialized.stack === 'string') serialized.stack = withoutUrlSecrets(serialized.stack);
  return serialized;
}

function censorSecret(value: unknown, path: string[]): unknown {
  const last = path[path.length - 1] ?? '';
  if (URL_FIELDS.includes(last)) {
    return typeof value === 'string' ? withoutUrlSecrets(value) : value;
  }
  if (last === 'card' || last === 'tag') {
    if (typeof value === 'string') return maskCard(value);
    // No number (an empty slot reads as tag null): nothing to hide, and null says so.
    if (value === null) return null;
  }
  return '[redacted]';
}

/** A logger that drops everything: for tests and library use without a logger. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
