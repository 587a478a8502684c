import { hasKeyPresentSwitch, type Session } from '../cabinet-state.js';
import { detectSwap, type Swap } from '../key-swap.js';
import { loanLimitsFor } from '../loan-limits.js';
import { dueAt } from '../loans.js';
import { misplacedKey, misplacedReleaseReason, releasableForSession } from '../misplaced-keys.js';
import type { Key } from '../model.js';
import type { StepDraft } from './step-draft.js';

// The key-present switches and the fob reader, and what their changes mean: a key checked out
// or in, forced, swapped, in the wrong slot, or a fob read in two slots at once. The exported
// functions take the inputs; the rest are the steps they share.

/** The key-present switch shows a key. */
export function present(draft: StepDraft, slot: number): void {
  const current = draft.slot(slot);
  if (current.occupied && current.switchOn === true) return;
  draft.setSlot(slot, { occupied: true, switchOn: true });
  // The fob was read before the switch closed: its arrival counts now that the switch agrees.
  const waiting = current.unconfirmedTag;
  if (waiting !== undefined) fob(draft, slot, waiting);
  // A misplaced key read before the switch closed is offered to the session now.
  if (draft.alarms.some((a) => a.type === 'key.wrong_slot' && a.slot === slot)) {
    const key = misplacedKey(draft.keyIn(slot), slot);
    if (key) offerToSession(draft, slot, key);
  }
}

/** The key-present switch shows the slot empty: the key left, whatever the fob reader says. */
export function absent(draft: StepDraft, slot: number): void {
  draft.setSlot(slot, { switchOn: false });
  departure(draft, slot);
}

/** The fob reader reports a tag in a slot, or none there. */
export function fob(draft: StepDraft, slot: number, tag: string | null): void {
  const current = draft.slot(slot);
  if (tag !== null && hasKeyPresentSwitch(draft.ctx.settings, slot) && current.switchOn !== true) {
    // The switch shows the slot empty: a report alone is no arrival (a forged line would
    // close a loan whose key is still out). Remember it until the switch closes.
    if (current.unconfirmedTag !== tag) draft.setSlot(slot, { unconfirmedTag: tag });
    return;
  }
  if (current.unconfirmedTag !== undefined) draft.setSlot(slot, { unconfirmedTag: undefined });
  if (current.duplicateTag !== undefined && current.duplicateTag !== tag) {
    draft.setSlot(slot, { duplicateTag: undefined });
    draft.clearAlarm('key.duplicate_fob', slot);
  }
  if (tag === null) {
    // The switch still shows a key: a fob report alone does not empty the slot (a misread, or
    // bytes forged on the reader's line). The key recorded here is the one that leaves when
    // the switch opens.
    if (current.switchOn === true) return;
    departure(draft, slot);
    return;
  }
  if (current.tag === tag) {
    if (!current.occupied) draft.setSlot(slot, { occupied: true });
    return;
  }
  if (current.duplicateTag === tag) return;
  const elsewhere = draft.slots.findIndex((s, i) => i !== slot - 1 && s.occupied && s.tag === tag);
  if (elsewhere >= 0) {
    duplicateFob(draft, slot, tag, elsewhere + 1);
    return;
  }
  // The key a swap took away is back: the substitute it replaces leaves without a word.
  if (current.expectedTag === tag) {
    arrival(draft, slot, tag);
    return;
  }
  const swap = detectSwap(current, tag, draft.ctx.directory, draft.emergency !== null);
  if (swap) {
    keySwapped(draft, slot, tag, swap);
    return;
  }
  // A different tag than the one recorded: the old fob left and a new one arrived.
  if (current.tag !== null) departure(draft, slot);
  arrival(draft, slot, tag);
}

/**
 * The same tag in two slots at once: a cloned or duplicated fob, or a forged report. The
 * cabinet cannot tell which read is true, so it believes neither for this slot: the key
 * recorded here stays recorded (its removal is judged by it), the slot is withheld from
 * sessions, and `key.duplicate_fob` stays active until this slot reads otherwise.
 */
function duplicateFob(draft: StepDraft, slot: number, tag: string, otherSlot: number): void {
  draft.setSlot(slot, { duplicateTag: tag });
  const key = draft.ctx.directory.keyByTag(tag);
  draft.record({
    type: 'key.duplicate_fob',
    data: { slot, otherSlot, tag, keyId: key?.id ?? null, keyLabel: key?.label ?? null },
  });
  const release = draft.slot(slot).release;
  if (release && !draft.emergencyHoldsSlots()) {
    draft.setSlot(slot, { release: null });
    draft.effects.push({ kind: 'lock', slot });
  }
}

/**
 * A misplaced key is released for the session in progress, so the person at the open door can
 * move it; the release ends with the session. No session, no release: the door is shut.
 */
function offerToSession(draft: StepDraft, slot: number, key: Key): void {
  const session = draft.session;
  const here = draft.slot(slot);
  if (!session || !draft.door.open || here.release) return;
  if (!releasableForSession(here)) return; // its switch must agree, its reads must not conflict
  const reason = misplacedReleaseReason(key, draft.ctx.directory);
  draft.setSlot(slot, { release: { reason, until: session.endsAt } });
  if (!session.slots.includes(slot))
    draft.session = { ...session, slots: [...session.slots, slot] };
  draft.effects.push({ kind: 'release', slot, ms: Math.max(1, session.endsAt - draft.now) });
}

function departure(draft: StepDraft, slot: number): void {
  const current = draft.slot(slot);
  if (!current.occupied && current.tag === null) return; // the other sensor already told us
  const { directory } = draft.ctx;
  const key = current.tag ? directory.keyByTag(current.tag) : directory.keyByHomeSlot(slot);
  const release = current.release;
  draft.setSlot(slot, { occupied: false, tag: null, release: null, duplicateTag: undefined });
  draft.clearAlarm('key.wrong_slot', slot);
  draft.clearAlarm('key.unknown_fob', slot);
  draft.clearAlarm('key.duplicate_fob', slot);
  // During an emergency release every slot stays released, emptied or not.
  if (release && !draft.emergencyHoldsSlots()) draft.effects.push({ kind: 'lock', slot });

  if (release?.reason === 'session' && draft.session) {
    if (key) checkOut(draft, draft.session, key, slot);
    return;
  }
  // A misplaced key moved by its borrower is expected; its loan stays open until it is home.
  if (release?.reason === 'wrong_slot' && draft.session) return;
  // A fob the cabinet does not know is not one of its keys: removing it is not a theft.
  if (current.tag !== null && !key) return;
  // Nor is taking a key from a slot an emergency release opened. There is no holder to name:
  // the inventory shows what left.
  if (draft.emergencyHoldsSlots()) return;
  draft.record({
    type: 'key.forced',
    data: { slot, keyId: key?.id ?? null, keyLabel: key?.label ?? null },
  });
}

function checkOut(draft: StepDraft, session: Session, key: Key, slot: number): void {
  const { directory } = draft.ctx;
  const wallNow = draft.ctx.clock.wallMs();
  const limits = loanLimitsFor(directory, session.holderId, key, directory.tierRules());
  const due = dueAt(wallNow, limits, draft.ctx.timeZone ?? 'UTC');
  draft.record({
    type: 'key.checked_out',
    data: {
      keyId: key.id,
      keyLabel: key.label,
      holderId: session.holderId,
      holderName: session.holderName,
      slot,
      dueAt: due === null ? null : new Date(due).toISOString(),
    },
  });
  const keysOut = session.keysOut + 1;
  draft.session = { ...session, keysOut };
  if (session.maxKeysOut === undefined || keysOut < session.maxKeysOut) return;
  // The holder reached their limit: the session's other keys may no longer leave, nor be picked.
  if (session.offered) draft.session = { ...draft.session, offered: [] };
  for (const other of session.slots) {
    if (other !== slot && draft.slot(other).release?.reason === 'session') {
      draft.setSlot(other, { release: null });
      draft.effects.push({ kind: 'lock', slot: other });
    }
  }
}

/** See src/domain/key-swap.ts for when a swap is recorded instead of forced + wrong slot. */
function keySwapped(draft: StepDraft, slot: number, tag: string, swap: Swap): void {
  const first = draft.slot(slot).expectedTag === undefined;
  draft.setSlot(slot, { occupied: true, tag, expectedTag: swap.expected.tag });
  if (!first) draft.clearAlarm('key.swapped', slot); // a second substitution: one alarm, renewed
  draft.record({
    type: 'key.swapped',
    data: {
      slot,
      keyId: swap.expected.id,
      keyLabel: swap.expected.label,
      foundKeyId: swap.found.id,
      foundKeyLabel: swap.found.label,
    },
  });
}

function arrival(draft: StepDraft, slot: number, tag: string): void {
  const expectedTag = draft.slot(slot).expectedTag;
  draft.setSlot(slot, { occupied: true, tag });
  draft.clearAlarm('key.forced', slot);
  if (expectedTag !== undefined && expectedTag === tag) {
    draft.setSlot(slot, { expectedTag: undefined });
    draft.clearAlarm('key.swapped', slot);
  }
  const { directory } = draft.ctx;
  const key = directory.keyByTag(tag);
  // A key reconciliation found missing is accounted for again, wherever it turns up.
  if (key) draft.clearAlarm('key.missing', key.homeSlot);
  if (!key) {
    draft.record({ type: 'key.unknown_fob', data: { slot, tag } });
    return;
  }
  if ((key.state ?? 'active') !== 'active') {
    draft.record({
      type: 'key.flagged_return',
      data: { keyId: key.id, keyLabel: key.label, slot, state: key.state ?? 'active' },
    });
  }
  if (misplacedKey(key, slot)) {
    draft.record({
      type: 'key.wrong_slot',
      data: { keyId: key.id, keyLabel: key.label, slot, homeSlot: key.homeSlot },
    });
    offerToSession(draft, slot, key);
    return;
  }
  const loan = directory.openLoanOf(key.id);
  if (!loan) return; // already recorded as in the cabinet: a report, not a return
  draft.clearAlarm('key.overdue', key.homeSlot);
  const holder = directory.holder(loan.holderId);
  const wallNow = draft.ctx.clock.wallMs();
  draft.record({
    type: 'key.checked_in',
    data: {
      keyId: key.id,
      keyLabel: key.label,
      holderId: loan.holderId,
      holderName: holder?.name ?? '',
      slot,
      outAt: new Date(loan.outAtMs).toISOString(),
      durationSeconds: Math.max(0, Math.round((wallNow - loan.outAtMs) / 1000)),
      returnedBy: draft.session?.holderId ?? null,
    },
  });
}
