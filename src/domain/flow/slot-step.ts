import { doorTimings, hasKeyPresentSwitch, type Session } from '../cabinet-state.js';
import { dueAtDoor, openDoorWatch } from '../door-watch.js';
import { detectSwap, type Swap } from '../key-swap.js';
import { loanLimitsFor } from '../loan-limits.js';
import { dueAt } from '../loans.js';
import { misplacedKey, misplacedReleaseReason, releasableForSession } from '../misplaced-keys.js';
import type { Key } from '../model.js';
import { AccessStep } from './access-step.js';

/**
 * The physical cabinet: the door contact, the key-present switches and the fob reader, and
 * what their changes mean (check-out, check-in, forced, swapped, wrong slot, held open).
 */
export abstract class SlotStep extends AccessStep {
  door(open: boolean): void {
    if (open === this.doorState.open) return;
    if (open) {
      // During an emergency release the door is unlocked: opening it is expected. Without a
      // grant it is forced, once it stays open past the debounce (watchDoor, at each tick).
      const watch = openDoorWatch(
        this.now,
        { granted: this.session !== null, emergency: this.emergency !== null },
        doorTimings(this.ctx.settings),
      );
      this.doorState = { open, watch };
      if (this.session) this.session = { ...this.session, doorOpened: true };
      this.watchDoor();
    } else {
      this.doorState = { open };
      this.clearAlarm('door.forced');
      this.clearAlarm('door.held_open');
      // Closing the door after using it ends the visit: relock at once, not at the timeout.
      if (this.session?.doorOpened) this.endSession();
    }
  }

  /** The door alarms' timers (src/domain/door-watch.ts), on the monotonic clock. */
  protected watchDoor(): void {
    const watch = this.doorState.watch;
    if (!watch) return;
    const timings = doorTimings(this.ctx.settings);
    const next = dueAtDoor(watch, this.now, timings);
    if (next.watch !== watch) this.doorState = { ...this.doorState, watch: next.watch };
    for (const due of next.due) {
      if (due === 'pre_alarm') this.effects.push({ kind: 'signal', signal: 'pre_alarm' });
      else if (due === 'door.forced') this.record({ type: 'door.forced', data: {} });
      else
        this.record({
          type: 'door.held_open',
          // Whole seconds, as configured (a record takes only integers).
          data: { heldOpenSeconds: Math.round(timings.heldOpenMs / 1000) },
        });
    }
  }

  /** The key-present switch shows a key. */
  present(slot: number): void {
    const current = this.slot(slot);
    if (current.occupied && current.switchOn === true) return;
    this.setSlot(slot, { occupied: true, switchOn: true });
    // The fob was read before the switch closed: its arrival counts now that the switch agrees.
    const waiting = current.unconfirmedTag;
    if (waiting !== undefined) this.fob(slot, waiting);
    // A misplaced key read before the switch closed is offered to the session now.
    if (this.alarms.some((a) => a.type === 'key.wrong_slot' && a.slot === slot)) {
      const key = misplacedKey(this.keyIn(slot), slot);
      if (key) this.offerToSession(slot, key);
    }
  }

  /** The key-present switch shows the slot empty: the key left, whatever the fob reader says. */
  absent(slot: number): void {
    this.setSlot(slot, { switchOn: false });
    this.departure(slot);
  }

  fob(slot: number, tag: string | null): void {
    const current = this.slot(slot);
    if (tag !== null && hasKeyPresentSwitch(this.ctx.settings, slot) && current.switchOn !== true) {
      // The switch shows the slot empty: a report alone is no arrival (a forged line would
      // close a loan whose key is still out). Remember it until the switch closes.
      if (current.unconfirmedTag !== tag) this.setSlot(slot, { unconfirmedTag: tag });
      return;
    }
    if (current.unconfirmedTag !== undefined) this.setSlot(slot, { unconfirmedTag: undefined });
    if (current.duplicateTag !== undefined && current.duplicateTag !== tag) {
      this.setSlot(slot, { duplicateTag: undefined });
      this.clearAlarm('key.duplicate_fob', slot);
    }
    if (tag === null) {
      // The switch still shows a key: a fob report alone does not empty the slot (a misread, or
      // bytes forged on the reader's line). The key recorded here is the one that leaves when
      // the switch opens.
      if (current.switchOn === true) return;
      this.departure(slot);
      return;
    }
    if (current.tag === tag) {
      if (!current.occupied) this.setSlot(slot, { occupied: true });
      return;
    }
    if (current.duplicateTag === tag) return;
    const elsewhere = this.slots.findIndex((s, i) => i !== slot - 1 && s.occupied && s.tag === tag);
    if (elsewhere >= 0) {
      this.duplicateFob(slot, tag, elsewhere + 1);
      return;
    }
    // The key a swap took away is back: the substitute it replaces leaves without a word.
    if (current.expectedTag === tag) {
      this.arrival(slot, tag);
      return;
    }
    const swap = detectSwap(current, tag, this.ctx.directory, this.emergency !== null);
    if (swap) {
      this.keySwapped(slot, tag, swap);
      return;
    }
    // A different tag than the one recorded: the old fob left and a new one arrived.
    if (current.tag !== null) this.departure(slot);
    this.arrival(slot, tag);
  }

  /**
   * The same tag in two slots at once: a cloned or duplicated fob, or a forged report. The
   * cabinet cannot tell which read is true, so it believes neither for this slot: the key
   * recorded here stays recorded (its removal is judged by it), the slot is withheld from
   * sessions, and `key.duplicate_fob` stays active until this slot reads otherwise.
   */
  protected duplicateFob(slot: number, tag: string, otherSlot: number): void {
    this.setSlot(slot, { duplicateTag: tag });
    const key = this.ctx.directory.keyByTag(tag);
    this.record({
      type: 'key.duplicate_fob',
      data: { slot, otherSlot, tag, keyId: key?.id ?? null, keyLabel: key?.label ?? null },
    });
    const release = this.slot(slot).release;
    if (release && !this.emergencyHoldsSlots()) {
      this.setSlot(slot, { release: null });
      this.effects.push({ kind: 'lock', slot });
    }
  }

  /**
   * A misplaced key is released for the session in progress, so the person at the open door can
   * move it; the release ends with the session. No session, no release: the door is shut.
   */
  protected offerToSession(slot: number, key: Key): void {
    const session = this.session;
    const here = this.slot(slot);
    if (!session || !this.doorState.open || here.release) return;
    if (!releasableForSession(here)) return; // its switch must agree, its reads must not conflict
    const reason = misplacedReleaseReason(key, this.ctx.directory);
    this.setSlot(slot, { release: { reason, until: session.endsAt } });
    if (!session.slots.includes(slot))
      this.session = { ...session, slots: [...session.slots, slot] };
    this.effects.push({ kind: 'release', slot, ms: Math.max(1, session.endsAt - this.now) });
  }

  departure(slot: number): void {
    const current = this.slot(slot);
    if (!current.occupied && current.tag === null) return; // the other sensor already told us
    const { directory } = this.ctx;
    const key = current.tag ? directory.keyByTag(current.tag) : directory.keyByHomeSlot(slot);
    const release = current.release;
    this.setSlot(slot, { occupied: false, tag: null, release: null, duplicateTag: undefined });
    this.clearAlarm('key.wrong_slot', slot);
    this.clearAlarm('key.unknown_fob', slot);
    this.clearAlarm('key.duplicate_fob', slot);
    // During an emergency release every slot stays released, emptied or not.
    if (release && !this.emergencyHoldsSlots()) this.effects.push({ kind: 'lock', slot });

    if (release?.reason === 'session' && this.session) {
      if (key) this.checkOut(this.session, key, slot);
      return;
    }
    // A misplaced key moved by its borrower is expected; its loan stays open until it is home.
    if (release?.reason === 'wrong_slot' && this.session) return;
    // A fob the cabinet does not know is not one of its keys: removing it is not a theft.
    if (current.tag !== null && !key) return;
    // Nor is taking a key from a slot an emergency release opened. There is no holder to name:
    // the inventory shows what left.
    if (this.emergencyHoldsSlots()) return;
    this.record({
      type: 'key.forced',
      data: { slot, keyId: key?.id ?? null, keyLabel: key?.label ?? null },
    });
  }

  protected checkOut(session: Session, key: Key, slot: number): void {
    const { directory } = this.ctx;
    const wallNow = this.ctx.clock.wallMs();
    const limits = loanLimitsFor(directory, session.holderId, key, directory.tierRules());
    const due = dueAt(wallNow, limits, this.ctx.timeZone ?? 'UTC');
    this.record({
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
    this.session = { ...session, keysOut };
    if (session.maxKeysOut === undefined || keysOut < session.maxKeysOut) return;
    // The holder reached their limit: the session's other keys may no longer leave.
    for (const other of session.slots) {
      if (other !== slot && this.slot(other).release?.reason === 'session') {
        this.setSlot(other, { release: null });
        this.effects.push({ kind: 'lock', slot: other });
      }
    }
  }

  /** See src/domain/key-swap.ts for when a swap is recorded instead of forced + wrong slot. */
  protected keySwapped(slot: number, tag: string, swap: Swap): void {
    const first = this.slot(slot).expectedTag === undefined;
    this.setSlot(slot, { occupied: true, tag, expectedTag: swap.expected.tag });
    if (!first) this.clearAlarm('key.swapped', slot); // a second substitution: one alarm, renewed
    this.record({
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

  protected arrival(slot: number, tag: string): void {
    const expectedTag = this.slot(slot).expectedTag;
    this.setSlot(slot, { occupied: true, tag });
    this.clearAlarm('key.forced', slot);
    if (expectedTag !== undefined && expectedTag === tag) {
      this.setSlot(slot, { expectedTag: undefined });
      this.clearAlarm('key.swapped', slot);
    }
    const { directory } = this.ctx;
    const key = directory.keyByTag(tag);
    // A key reconciliation found missing is accounted for again, wherever it turns up.
    if (key) this.clearAlarm('key.missing', key.homeSlot);
    if (!key) {
      this.record({ type: 'key.unknown_fob', data: { slot, tag } });
      return;
    }
    if ((key.state ?? 'active') !== 'active') {
      this.record({
        type: 'key.flagged_return',
        data: { keyId: key.id, keyLabel: key.label, slot, state: key.state ?? 'active' },
      });
    }
    if (misplacedKey(key, slot)) {
      this.record({
        type: 'key.wrong_slot',
        data: { keyId: key.id, keyLabel: key.label, slot, homeSlot: key.homeSlot },
      });
      this.offerToSession(slot, key);
      return;
    }
    const loan = directory.openLoanOf(key.id);
    if (!loan) return; // already recorded as in the cabinet: a report, not a return
    this.clearAlarm('key.overdue', key.homeSlot);
    const holder = directory.holder(loan.holderId);
    const wallNow = this.ctx.clock.wallMs();
    this.record({
      type: 'key.checked_in',
      data: {
        keyId: key.id,
        keyLabel: key.label,
        holderId: loan.holderId,
        holderName: holder?.name ?? '',
        slot,
        outAt: new Date(loan.outAtMs).toISOString(),
        durationSeconds: Math.max(0, Math.round((wallNow - loan.outAtMs) / 1000)),
        returnedBy: this.session?.holderId ?? null,
      },
    });
  }
}
