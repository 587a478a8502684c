import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { clockFloorService } from '../../src/daemon/services/clock-floor.js';
import { createLogger } from '../../src/log/logger.js';
import { readClockFloor, writeClockFloor } from '../../src/platform/clock-floor-file.js';
import { FlooredClock } from '../../src/platform/floored-clock.js';
import { JumpingClock } from '../support/jumping-clock.js';

const dirs: string[] = [];

/**
 * The floored clock hands out the raw wall time. Both read the real clock, which may tick
 * between two readings, so the floored reading is bracketed by raw ones rather than compared
 * with one (an exact comparison failed in CI when a millisecond passed between the calls).
 */
function expectFollowsRaw(clock: FlooredClock, raw: JumpingClock): void {
  const before = raw.wallMs();
  const floored = clock.wallMs();
  const after = raw.wallMs();
  expect(floored).toBeGreaterThanOrEqual(before);
  expect(floored).toBeLessThanOrEqual(after);
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the floored wall clock', () => {
  it('never hands out a time under one it handed out, though its floor ticks apart from the wall clock', () => {
    // The wall clock a millisecond ahead of where the monotonic clock carries the start's wall
    // time (they tick apart by fractions of a millisecond), then stepped back an hour.
    const raw = { wall: 1_000, mono: 0.6 };
    const clock = new FlooredClock({
      wallMs: () => raw.wall,
      monotonicMs: () => raw.mono,
      wallSynced: () => true,
      bootId: () => 'boot',
    });
    raw.wall = 1_001;
    raw.mono = 1.0;
    expect(clock.wallMs()).toBe(1_001);
    raw.wall = 1_001 - 3_600_000;
    expect(clock.wallMs()).toBe(1_001);
  });

  it('never goes back: a step back holds it at the latest time seen, unsynchronised', () => {
    const raw = new JumpingClock();
    const clock = new FlooredClock(raw);
    const before = clock.wallMs();
    raw.jump(-3_600_000);
    expect(clock.wallMs()).toBeGreaterThanOrEqual(before);
    expect(clock.behindMs()).toBeGreaterThan(3_500_000);
    expect(clock.wallSynced()).toBe(false);
    raw.jump(3_600_000 + 1_000);
    expectFollowsRaw(clock, raw);
    expect(clock.wallSynced()).toBe(true);
  });

  it('the service raises it to the saved floor at start, logs the wall clock behind it, saves it at stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-floor-'));
    dirs.push(dir);
    const database = join(dir, 'cabinet.db');
    const saved = Date.now() + 86_400_000; // the last run saw a time a day ahead of this clock
    writeClockFloor(`${database}.clock-floor`, saved);
    const lines: Array<{ msg: string; behindMs?: number }> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as { msg: string });
        done();
      },
    });
    const clock = new FlooredClock(new JumpingClock());
    const service = clockFloorService({
      clock,
      database,
      logger: createLogger({ pretty: false, destination }),
    });

    await service.start();
    // The saved floor, moved on by the monotonic time since: a few milliseconds here.
    expect(clock.wallMs()).toBeGreaterThanOrEqual(saved);
    expect(clock.wallMs()).toBeLessThan(saved + 1_000);
    const behind = lines.find((l) => l.msg.startsWith('the wall clock is behind'));
    expect(behind?.behindMs).toBeGreaterThan(86_000_000);

    await service.stop();
    const stored = readClockFloor(`${database}.clock-floor`) ?? 0;
    expect(stored).toBeGreaterThanOrEqual(saved);
    expect(stored).toBeLessThan(saved + 1_000);
  });

  it('a step forward is used while it lasts, and neither outlives its correction nor is saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-floor-'));
    dirs.push(dir);
    const database = join(dir, 'cabinet.db');
    const raw = new JumpingClock();
    const clock = new FlooredClock(raw);
    const service = clockFloorService({
      clock,
      database,
      logger: createLogger({
        pretty: false,
        destination: new Writable({ write: (_c, _e, done) => done() }),
      }),
    });
    await service.start();
    const YEARS = 73 * 365 * 86_400_000; // a forged NTP answer: 2099
    raw.jump(YEARS);
    expectFollowsRaw(clock, raw);
    raw.jump(-YEARS); // put right
    expect(clock.wallMs() - Date.now()).toBeLessThan(1_000);
    expect(clock.wallSynced()).toBe(true);
    raw.jump(YEARS);
    await service.stop(); // saved while the clock says 2099
    expect((readClockFloor(`${database}.clock-floor`) ?? 0) - Date.now()).toBeLessThan(1_000);
  });
});
