import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLOCK_FLOOR_SLOT_BYTES,
  ClockFloorWriter,
  readClockFloor,
  writeClockFloor,
} from '../../src/platform/clock-floor-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function floorFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-floor-file-'));
  dirs.push(dir);
  return { dir, file: join(dir, 'cabinet.db.clock-floor') };
}

/** A power cut in the middle of a save: the slot's bytes half old, half garbage. */
function tearSlot(file: string, slot: 0 | 1): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.from('7\u0000\u0000\u0000'), 0, 4, slot * CLOCK_FLOOR_SLOT_BYTES + 14);
  } finally {
    closeSync(fd);
  }
}

const T = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('the clock floor file', () => {
  it('is saved in place: the same inode, no directory entry made or renamed (one block a save on the card)', () => {
    const { dir, file } = floorFile();
    writeClockFloor(file, T); // made: the one save that creates an entry
    const inode = statSync(file).ino;
    const dirModified = statSync(dir).mtimeMs;
    const writer = new ClockFloorWriter(file);
    for (let minute = 1; minute <= 5; minute++) writer.save(T + minute * 60_000);
    writer.close();
    writeClockFloor(file, T + 6 * 60_000);
    expect(statSync(file).ino).toBe(inode);
    expect(statSync(dir).mtimeMs).toBe(dirModified);
    expect(readdirSync(dir)).toEqual(['cabinet.db.clock-floor']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readClockFloor(file)).toBe(T + 6 * 60_000);
  });

  it('a save torn by a power cut leaves the save before it, a minute older, readable', () => {
    const { file } = floorFile();
    const writer = new ClockFloorWriter(file);
    writer.save(T);
    writer.save(T + 60_000);
    writer.save(T + 120_000);
    writer.close();
    // Made at T (both slots), then slot 1 took T+1 min and slot 0 T+2 min.
    tearSlot(file, 0);
    expect(readClockFloor(file)).toBe(T + 60_000);
    // The next save goes into the torn slot, not over the floor still standing.
    writeClockFloor(file, T + 180_000);
    tearSlot(file, 1);
    expect(readClockFloor(file)).toBe(T + 180_000);
  });

  it('a file with no valid slot is an error (the service logs it and ignores the file)', () => {
    const { file } = floorFile();
    writeClockFloor(file, T);
    tearSlot(file, 0);
    tearSlot(file, 1);
    expect(() => readClockFloor(file)).toThrow(/no slot holds a valid time/);
    // A time whose two spellings disagree is not believed either.
    writeFileSync(file, `${JSON.stringify({ wallMs: T, time: new Date(T + 1).toISOString() })}\n`);
    expect(() => readClockFloor(file)).toThrow(/no slot holds a valid time/);
  });

  it('reads the one-line file of earlier versions, and saves over it in place', () => {
    const { file } = floorFile();
    writeFileSync(file, `${JSON.stringify({ wallMs: T, time: new Date(T).toISOString() })}\n`, {
      mode: 0o600,
    });
    const inode = statSync(file).ino;
    expect(readClockFloor(file)).toBe(T);
    writeClockFloor(file, T + 60_000);
    expect(readClockFloor(file)).toBe(T + 60_000);
    expect(statSync(file).ino).toBe(inode);
  });

  it('a file removed while the daemon holds it open is made again at the next save', () => {
    const { file } = floorFile();
    const writer = new ClockFloorWriter(file);
    writer.save(T);
    rmSync(file);
    writer.save(T + 60_000);
    writer.close();
    expect(readClockFloor(file)).toBe(T + 60_000);
  });

  it('a file replaced by a link while held open: the link is replaced, its target never written', () => {
    const { dir, file } = floorFile();
    const writer = new ClockFloorWriter(file);
    writer.save(T);
    // Another file that happens to hold a valid floor (another cabinet's, say).
    const other = join(dir, 'other.clock-floor');
    writeClockFloor(other, T - 60_000);
    const before = readFileSync(other);
    rmSync(file);
    symlinkSync(other, file);
    writer.save(T + 60_000);
    writer.close();
    expect(readFileSync(other)).toEqual(before);
    expect(statSync(file).isFile()).toBe(true);
    expect(readClockFloor(file)).toBe(T + 60_000);
  });

  it('a FIFO in its place is no file: refused at once, not waited on, and replaced at the save', () => {
    const { file } = floorFile();
    execFileSync('mkfifo', ['-m', '600', file]);
    expect(() => readClockFloor(file)).toThrow(/no slot holds a valid time/);
    writeClockFloor(file, T);
    expect(statSync(file).isFile()).toBe(true);
    expect(readClockFloor(file)).toBe(T);
  });

  it('none yet: undefined', () => {
    expect(readClockFloor(floorFile().file)).toBeUndefined();
  });
});
