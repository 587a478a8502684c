import { readFileSync } from 'node:fs';
import { writeFileAtomically } from './atomic-file.js';

/**
 * Where the floor of the wall clock (floored-clock.ts) outlives the daemon: a small file beside
 * the database (`<database>.clock-floor`), like its lock and owner files. Not a table in the
 * database: it is written every minute, and a one-line file costs the SD card one small write
 * where a SQLite commit costs a WAL frame and a checkpoint; and it can be read before the
 * database is opened or migrated.
 */
export const clockFloorFileOf = (database: string): string | undefined =>
  database === ':memory:' ? undefined : `${database}.clock-floor`;

interface ClockFloorText {
  /** The latest wall time the daemon saw, ms since the epoch. */
  wallMs: number;
  /** The same, readable by a person. */
  time: string;
}

/** The saved floor, or undefined when there is none yet; a damaged file is an error. */
export function readClockFloor(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<ClockFloorText> | null;
  const wallMs = parsed?.wallMs;
  if (typeof wallMs !== 'number' || !Number.isSafeInteger(wallMs) || wallMs < 0) {
    throw new Error(`${file}: "wallMs" must be a time in ms since the epoch`);
  }
  return wallMs;
}

export function writeClockFloor(file: string, wallMs: number): void {
  const floor: ClockFloorText = { wallMs, time: new Date(wallMs).toISOString() };
  writeFileAtomically(file, `${JSON.stringify(floor)}\n`);
}
