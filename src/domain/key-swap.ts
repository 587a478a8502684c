import type { CabinetDirectory } from './cabinet-directory.js';
import type { SlotState } from './cabinet-state.js';
import type { Key } from './model.js';

/**
 * `key.swapped`: the fob reader reports, in a locked slot, another registered key than the
 * one recorded there, with no departure seen in between. Someone took the key and put another
 * in its place (quick enough, or on a slot without a key-present switch, that the reader saw
 * no gap): the substitution that would hide a theft from a glance at the cabinet.
 *
 * Which event wins:
 * - a release explains the change (a session's slot, a wrong-slot fob being moved, an
 *   emergency release): no swap; the departure and arrival are recorded as usual (check-out,
 *   check-in, wrong slot);
 * - the slot is locked and the new tag is a registered key: `key.swapped` alone. It says more
 *   than `key.forced` for the key that left plus `key.wrong_slot` for the one that came, and
 *   unlike `key.wrong_slot` it releases nothing: a substitution is tampering, and the slot
 *   stays locked until a custodian deals with it;
 * - the new tag is no registered key: `key.forced` for the key that left and
 *   `key.unknown_fob` for the fob, as before (a swap is between keys of this cabinet);
 * - a departure was seen first (switch or fob reader reports the slot empty): `key.forced` at
 *   the departure; what comes in later is an arrival (wrong slot, unknown fob, or the key back).
 *
 * The alarm clears when the key recorded before the swap is back in the slot.
 */
export interface Swap {
  /** The key recorded in the slot (the one that left). */
  expected: Key;
  /** The key now reported there. */
  found: Key;
}

export function detectSwap(
  current: SlotState,
  tag: string,
  directory: CabinetDirectory,
  emergency: boolean,
): Swap | null {
  if (current.release !== null || emergency) return null;
  if (current.tag === null || current.tag === tag) return null;
  // After a first swap, the key that should be here is still the one recorded before it.
  const expected = directory.keyByTag(current.expectedTag ?? current.tag);
  const found = directory.keyByTag(tag);
  if (!expected || !found) return null;
  return { expected, found };
}
