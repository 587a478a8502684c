import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * The simulated cabinet's physical state kept in a file (config `sim.stateFile`), so that it
 * outlives the daemon as a real cabinet's keys do: after a crash the simulator comes back with
 * the keys where they were, not where the loans say. Editing the file while the daemon is down
 * is how a test (or a demo) moves a key while nobody watches. Only the fobs in the slots are
 * kept; the door comes back closed.
 */
export interface SimStateFile {
  /** Slot number → the fob hanging there. Empty slots are absent. */
  slots: Record<string, string>;
}

/** The fobs by slot, or undefined when there is no file yet. A bad file is an error that says why. */
export function readSimState(file: string, slotCount: number): Map<number, string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`, { cause: err });
  }
  const slots = (parsed as Partial<SimStateFile> | null)?.slots;
  if (typeof slots !== 'object' || slots === null || Array.isArray(slots)) {
    throw new Error(`${file}: "slots" must be an object of slot number to fob tag`);
  }
  const tags = new Map<number, string>();
  for (const [key, tag] of Object.entries(slots)) {
    const slot = Number(key);
    if (!Number.isInteger(slot) || slot < 1 || slot > slotCount) {
      throw new Error(`${file}: slots.${key}: not a slot from 1 to ${slotCount}`);
    }
    if (typeof tag !== 'string' || !/^[0-9A-F]{4,32}$/.test(tag)) {
      throw new Error(`${file}: slots.${key}: must be a fob tag of 4 to 32 upper-case hex digits`);
    }
    tags.set(slot, tag);
  }
  return tags;
}

/** Written whole then renamed: a daemon killed mid-write leaves the previous state. */
export function writeSimState(
  file: string,
  slots: ReadonlyArray<{ slot: number; tag: string | null }>,
): void {
  const state: SimStateFile = { slots: {} };
  for (const s of slots) if (s.tag) state.slots[String(s.slot)] = s.tag;
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, file);
}
