import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../../src/log/logger.js';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** The project's real logger (with its redaction), writing parsed JSON lines to an array. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text) lines.push(JSON.parse(text) as LogLine);
      }
      done();
    },
  });
  return { logger: createLogger({ level, pretty: false, destination }), lines };
}
