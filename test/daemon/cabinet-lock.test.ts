import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { isKeywardenError } from '../../src/errors.js';
import {
  acquireCabinetLock,
  ownerFileOf,
  type CabinetLock,
} from '../../src/daemon/cabinet-lock.js';

/**
 * The lock's own rules, in one process (SQLite refuses a second exclusive transaction from the
 * same process too). The two-process case is test/daemon/one-daemon-per-cabinet.test.ts.
 */

let dir: string;
let database: string;
const held: CabinetLock[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-lock-'));
  database = join(dir, 'cabinet.db');
});

afterEach(() => {
  held.splice(0).forEach((lock) => lock.release());
  rmSync(dir, { recursive: true, force: true });
});

function take(): CabinetLock {
  const lock = acquireCabinetLock(database, () => new Date('2026-12-06T23:00:00Z'));
  held.push(lock);
  return lock;
}

function refusal(): Error {
  try {
    take();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the second lock was granted');
}

it('is held until released, then free again', () => {
  const lock = take();
  const error = refusal();
  expect(isKeywardenError(error, 'CABINET_IN_USE')).toBe(true);
  expect(error.message).toContain(`process ${process.pid}`);
  expect(error.message).toContain('since "2026-12-06T23:00:00.000Z"');
  expect(error.message).toContain(`database ${database}`);

  lock.release();
  lock.release(); // twice is harmless
  expect(() => take()).not.toThrow();
});

it('quotes what the sidecar says, so an edited one cannot write control characters', () => {
  take();
  writeFileSync(
    ownerFileOf(database),
    JSON.stringify({ pid: 1, host: 'evil\u001b[31m\nhost', since: 'x', database }),
  );
  const error = refusal();
  expect(error.message).toContain('on host "evil\\u001b[31m\\nhost"');
  expect(error.message).not.toMatch(/\p{Cc}/u);
});

it('still refuses, saying the holder is unknown, when the sidecar is missing or garbled', () => {
  take();
  writeFileSync(ownerFileOf(database), '{"pid": "not a number"');
  const error = refusal();
  expect(isKeywardenError(error, 'CABINET_IN_USE')).toBe(true);
  expect(error.message).toContain('another process');
  expect(error.message).toContain('missing or unreadable');
});

it('refuses to start on a lock file that is not a SQLite file, naming it', () => {
  writeFileSync(`${database}.lock`, 'x'.repeat(4096));
  const error = refusal();
  expect(isKeywardenError(error, 'CABINET_LOCK_FAILED')).toBe(true);
  expect(error.message).toContain(`${database}.lock`);
  expect(readFileSync(`${database}.lock`, 'utf8')).toBe('x'.repeat(4096));
});

it('needs no lock for an in-memory database (nothing to share)', () => {
  database = ':memory:';
  take();
  expect(() => take()).not.toThrow();
});
