import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { isKeywardenError, type KeywardenErrorCode } from '../../src/errors.js';

export const hardwareDir = fileURLToPath(new URL('../../hardware/', import.meta.url));
export const configDir = fileURLToPath(new URL('../../config/', import.meta.url));

/** A fresh, valid profile file's JSON to break one field at a time. */
export function rpiProfileJson(): Record<string, unknown> & {
  slots: Record<string, unknown>[];
  readers: { badge: Record<string, unknown>; fob: Record<string, unknown> };
} {
  return JSON.parse(readFileSync(`${hardwareDir}rpi-8slot.json`, 'utf8')) as ReturnType<
    typeof rpiProfileJson
  >;
}

/** Runs `fn`, expects a KeywardenError with `code`, returns its message lines. */
export function errorLines(fn: () => unknown, code: KeywardenErrorCode): string[] {
  try {
    fn();
  } catch (error) {
    if (!isKeywardenError(error, code)) throw error;
    return error.message.split('\n');
  }
  return expect.unreachable(`expected a ${code} error`);
}
