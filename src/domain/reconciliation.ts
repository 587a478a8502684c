import type { CabinetDirectory } from './cabinet-directory.js';
import type { ActiveAlarm, SlotState } from './cabinet-state.js';
import type { Key, Loan } from './model.js';

/**
 * Reconciliation: what the slots show (key-present switches and fob reads) against what the
 * loans say. Run at start, once the inputs have been read, and on request (the `reconcile`
 * command), because keys can move while nobody records it: during a power cut, a crash, or
 * while the daemon restarts.
 *
 * Each key has a home slot; a key counts as in the cabinet when the fob reader reports its tag
 * in any slot, or when its home slot's switch shows a key and the fob reader has reported no
 * tag there (a slot seen only by its switch holds its own key until a read says otherwise).
 *
 * - In its home slot with a loan open: the return was never recorded (`returned_unrecorded`:
 *   the loan is closed). A key in a wrong slot keeps its loan open until it is home, as in the
 *   flow, and its `key.wrong_slot` alarm already says where it is.
 * - Nowhere and no loan open: `missing`, a security concern (an alarm), unless an alarm already
 *   accounts for it (`key.forced` or `key.missing` at its home slot, `key.swapped` where it
 *   was recorded) or it is not in service (lost, stolen, retired).
 */
export type Difference =
  | { kind: 'returned_unrecorded'; key: Key; loan: Loan; slot: number }
  | { kind: 'missing'; key: Key; slot: number };

type Lookups = Pick<CabinetDirectory, 'keyByHomeSlot' | 'openLoanOf'>;

export function reconcile(
  slots: readonly SlotState[],
  alarms: readonly ActiveAlarm[],
  directory: Lookups,
): Difference[] {
  const differences: Difference[] = [];
  const tagsIn = new Set(slots.flatMap((s) => (s.occupied && s.tag !== null ? [s.tag] : [])));
  const awaited = new Set(slots.flatMap((s) => (s.expectedTag ? [s.expectedTag] : [])));
  slots.forEach((here, i) => {
    const slot = i + 1;
    const key = directory.keyByHomeSlot(slot);
    if (!key) return;
    const atHome =
      here.occupied && (here.tag === key.tag || (here.tag === null && !tagsIn.has(key.tag)));
    const loan = directory.openLoanOf(key.id);
    if (atHome) {
      if (loan) differences.push({ kind: 'returned_unrecorded', key, loan, slot });
      return;
    }
    if (loan || tagsIn.has(key.tag)) return;
    if ((key.state ?? 'active') !== 'active') return;
    const accounted =
      awaited.has(key.tag) ||
      alarms.some((a) => a.slot === slot && (a.type === 'key.forced' || a.type === 'key.missing'));
    if (!accounted) differences.push({ kind: 'missing', key, slot });
  });
  return differences;
}
