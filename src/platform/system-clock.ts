import { existsSync, readFileSync } from 'node:fs';
import type { RecordingClock } from '../domain/clock.js';

/** systemd-timesyncd creates this file once it has synchronised the clock (systemd ≥ 239). */
export const TIMESYNCD_FLAG = '/run/systemd/timesync/synchronized';
const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';
const SYNC_RECHECK_MS = 10_000;

export interface SystemClockOptions {
  /** 'timesyncd': synchronised once timesyncd says so; 'assume': always (a machine with an RTC). */
  syncCheck?: 'timesyncd' | 'assume';
  syncFlagFile?: string;
}

/**
 * The real clock. Monotonic time is libuv's hrtime, which on Linux is CLOCK_MONOTONIC: time
 * since boot, so records from two runs of the daemon in one boot can be ordered by it.
 */
export function createSystemClock(options: SystemClockOptions = {}): RecordingClock {
  const flag = options.syncFlagFile ?? TIMESYNCD_FLAG;
  const assume = options.syncCheck === 'assume';
  let synced = false;
  let checkedAt = -Infinity;
  const bootId = readBootId();
  const monotonicMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;
  return {
    wallMs: () => Date.now(),
    monotonicMs,
    bootId: () => bootId,
    wallSynced() {
      if (assume) return true;
      // Once synchronised, a clock stays good enough for records: stop touching the disk.
      if (synced) return true;
      const now = monotonicMs();
      if (now - checkedAt >= SYNC_RECHECK_MS) {
        checkedAt = now;
        synced = existsSync(flag);
      }
      return synced;
    },
  };
}

function readBootId(): string {
  try {
    return readFileSync(BOOT_ID_FILE, 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

export const systemClock: RecordingClock = createSystemClock();
