import {
  closeSync,
  constants,
  fdatasyncSync,
  fstatSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { writeFileAtomically } from './atomic-file.js';

/**
 * Where the floor of the wall clock (floored-clock.ts) outlives the daemon: a small file beside
 * the database (`<database>.clock-floor`), like its lock and owner files. Not a table in the
 * database: it is written every minute, and a SQLite commit costs a WAL frame and a checkpoint;
 * and it can be read before the database is opened or migrated.
 *
 * Written in place, in two slots a filesystem block apart, each save into the slot not holding
 * the latest floor. Replacing the file each minute (a temporary file, fsync, rename, fsync of the
 * directory) cost the card five pages a minute (a new inode, its bitmap, the directory block,
 * the data; bench/README.md, "sd-card-writes"); overwriting one block and `fdatasync` costs one.
 * A power cut during a save can tear only the slot being written: the other still holds the
 * save before, a minute older, which is the bound the floor has always had. A slot is believed
 * only when its two spellings of the time agree, so a torn one is never read as a time.
 */
export const clockFloorFileOf = (database: string): string | undefined =>
  database === ':memory:' ? undefined : `${database}.clock-floor`;

/** A filesystem block: one torn write cannot reach both slots. */
export const CLOCK_FLOOR_SLOT_BYTES = 4096;

/**
 * Never through a link: written in place, a link put where the file was would have each save
 * overwrite whatever it names. Refused, the file is made again, whose rename replaces the link.
 */
const NO_LINK = constants.O_NOFOLLOW;

interface ClockFloorText {
  /** The latest wall time the daemon saw, ms since the epoch. */
  wallMs: number;
  /** The same, readable by a person; a save torn in the middle does not match `wallMs`. */
  time: string;
}

/** The saved floor, or undefined when there is none yet; a file with no valid slot is an error. */
export function readClockFloor(file: string): number | undefined {
  const slots = readSlots(file);
  if (slots === undefined) return undefined;
  const valid = slots.filter((slot): slot is number => slot !== undefined);
  if (valid.length === 0) {
    throw new Error(`${file}: no slot holds a valid time ("wallMs" and "time" agreeing)`);
  }
  return Math.max(...valid);
}

/** Saves the floor once (the daemon keeps a ClockFloorWriter instead: see its comment). */
export function writeClockFloor(file: string, wallMs: number): void {
  const writer = new ClockFloorWriter(file);
  try {
    writer.save(wallMs);
  } finally {
    writer.close();
  }
}

/**
 * Saves the floor again and again with the file held open, alternating the slots. It reads the
 * file only before its first save (which slot holds the older floor): reading it each minute
 * would move its access time, and that is an inode write too.
 */
export class ClockFloorWriter {
  private fd: number | undefined;
  private nextSlot: 0 | 1 | undefined;

  constructor(readonly file: string) {}

  save(wallMs: number): void {
    // A file removed or replaced under it (nlink 0): saving into the orphan would lose the
    // floor at the next start, so it is made again, as the replacing saves always did.
    if (this.fd !== undefined && fstatSync(this.fd).nlink === 0) this.close();
    if (this.fd === undefined) this.open(wallMs);
    else this.writeSlot(this.fd, wallMs);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(wallMs: number): void {
    let slots: Array<number | undefined> | undefined;
    try {
      slots = readSlots(this.file);
    } catch {
      slots = undefined; // unreadable: made again below, as when missing
    }
    if (slots === undefined || slots.every((slot) => slot === undefined)) {
      // Made (or remade) whole, both slots at this floor: the file's creation, a new directory
      // entry, is made durable once here, by the rename and the directory's fsync.
      const record = slotText(wallMs);
      writeFileAtomically(this.file, record + record);
      this.fd = openSync(this.file, constants.O_RDWR | NO_LINK);
      this.nextSlot = 1;
      return;
    }
    const [first, second] = slots;
    // The slot holding the older floor (or none) is overwritten; the latest stays untouched.
    this.nextSlot = first === undefined ? 0 : second === undefined ? 1 : first <= second ? 0 : 1;
    this.fd = openSync(this.file, constants.O_RDWR | NO_LINK);
    this.writeSlot(this.fd, wallMs);
  }

  private writeSlot(fd: number, wallMs: number): void {
    const slot = this.nextSlot ?? 0;
    writeSync(fd, slotText(wallMs), slot * CLOCK_FLOOR_SLOT_BYTES, 'utf8');
    // The data and what is needed to read it back; the modification time can wait.
    fdatasyncSync(fd);
    this.nextSlot = slot === 0 ? 1 : 0;
  }
}

/** One slot: the JSON line, padded to the slot's size so a save rewrites it whole. */
function slotText(wallMs: number): string {
  const floor: ClockFloorText = { wallMs, time: new Date(wallMs).toISOString() };
  return `${JSON.stringify(floor)}\n`.padEnd(CLOCK_FLOOR_SLOT_BYTES, ' ');
}

/**
 * Both slots' floors (undefined for a slot that is absent or not valid), or undefined when the
 * file does not exist. A file of one JSON line (the format before the slots) is slot 0.
 */
function readSlots(file: string): Array<number | undefined> | undefined {
  let fd: number;
  try {
    // Non-blocking: a FIFO in its place would otherwise hold the daemon's start until written.
    fd = openSync(file, constants.O_RDONLY | NO_LINK | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let text: string;
  try {
    text = readFileSync(fd, 'latin1');
  } finally {
    closeSync(fd);
  }
  return [0, 1].map((slot) =>
    parseSlot(text.slice(slot * CLOCK_FLOOR_SLOT_BYTES, (slot + 1) * CLOCK_FLOOR_SLOT_BYTES)),
  );
}

function parseSlot(text: string): number | undefined {
  const end = text.indexOf('\n');
  if (end < 0) return undefined;
  let parsed: Partial<ClockFloorText> | null;
  try {
    parsed = JSON.parse(text.slice(0, end)) as Partial<ClockFloorText> | null;
  } catch {
    return undefined;
  }
  const wallMs = parsed?.wallMs;
  if (typeof wallMs !== 'number' || !Number.isSafeInteger(wallMs) || wallMs < 0) return undefined;
  const time = new Date(wallMs);
  if (Number.isNaN(time.getTime()) || parsed?.time !== time.toISOString()) return undefined;
  return wallMs;
}
