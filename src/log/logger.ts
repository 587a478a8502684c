import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { maskCard } from '../domain/mask-card.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Human-readable output; defaults to "stdout is a terminal". */
  pretty?: boolean;
  /** Where JSON lines go when not pretty (tests pass a stream to capture them). */
  destination?: NodeJS.WritableStream;
}

/**
 * The root logger. Card numbers are personal data and a cloneable credential on 125 kHz
 * readers, and a key's fob tag can be cloned too, so any field named `card` or `tag` is shortened
 * wherever it appears in a log line (the drivers log both raw and rely on this: drivers/logger.ts).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const usePretty = options.pretty ?? Boolean(process.stdout.isTTY);
  const base = {
    level: options.level ?? 'info',
    redact: {
      paths: ['card', '*.card', 'tag', '*.tag', 'password', '*.password'],
      censor: censorSecret,
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

function censorSecret(value: unknown, path: string[]): unknown {
  const last = path[path.length - 1];
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
