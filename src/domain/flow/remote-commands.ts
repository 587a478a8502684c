import type { EmergencyReleases, EmergencySource } from '../cabinet-state.js';
import { underEmergency } from '../door-watch.js';
import type { Actor } from '../events.js';
import { clearLock, type LockoutSubject } from '../lockout.js';
import type { BadgeDenialReason } from '../denial-reason.js';
import { decideRemote, takeCheck, tierDemands } from './access-checks.js';
import { liftedRef } from './lockouts.js';
import type { StepDraft } from './step-draft.js';

// The central server's commands, once verified (src/remote-commands/), and the fire-alarm
// input that shares the emergency release with them: release one slot for a holder, emergency
// release, lockdown, and a custodian's early end of a lockout.

/**
 * The central server's `release`: the holder's own rules decide, for the one slot asked, and
 * a grant opens a session exactly like a badge's (door, that slot if it holds a key, relock).
 * The loan rules apply as at the reader (keys out, an overdue key), and so does the key's
 * tier: a tier that asks for a PIN, a reason code or authorisers is refused
 * (`presence_required`), since those can only be given at the cabinet. There is no override:
 * one signature must never open what a badge needs two people and a PIN for
 * (docs/security.md).
 */
export function remoteRelease(
  draft: StepDraft,
  commandId: string,
  holderId: number,
  slot: number,
): void {
  if (draft.session) draft.endSession();
  const { directory } = draft.ctx;
  const holder = directory.holder(holderId);
  const decision = decideRemote(draft, holderId, holder, slot);
  const deny = (reason: BadgeDenialReason) => {
    draft.record({ type: 'access.denied', data: { reason, holderId, commandId } });
    draft.effects.push({ kind: 'signal', signal: 'denied' });
  };
  if (!decision.granted || !holder) {
    deny(decision.granted ? 'unknown_holder' : decision.reason);
    return;
  }
  const slots = draft.releasable(decision.slots, holder.id);
  const loans = directory.openLoansOf(holder.id);
  const { limit, refusal } = takeCheck(draft, holder, loans, slots);
  if (refusal) {
    deny(refusal);
    return;
  }
  const { gated, all } = tierDemands(draft, slots);
  if (all.pin || all.reasonCode || gated.length > 0) {
    deny('presence_required');
    return;
  }
  draft.record({
    type: 'access.granted',
    data: { holderId: holder.id, holderName: holder.name, slots, commandId },
  });
  draft.openSession(holder, null, slots, { keysOut: loans.length, ...limit });
}

/**
 * Emergency release (evacuation, fire): the door unlocks and every slot releases, each pulse
 * renewed at `tick` because the driver cuts every pulse at the solenoid's maximum on-time.
 * One emergency at a time: a second start changes nothing, and only the source that started
 * it may end it (a command must not end an emergency a fire-alarm input still declares).
 */
export function emergencyStart(
  draft: StepDraft,
  source: EmergencySource,
  commandId: string | undefined,
  asked: EmergencyReleases | undefined,
): void {
  if (draft.emergency) return;
  const pulseMs = draft.ctx.settings.wrongSlotPulseMs;
  const ref = commandId === undefined ? {} : { commandId };
  const releases = asked ?? 'door_and_slots';
  draft.emergency = { source, ...ref, releases, renewAt: draft.now + pulseMs };
  draft.record({
    type: 'emergency.started',
    data: { source, ...ref, ...(asked === undefined ? {} : { releases }) },
  });
  const watch = draft.door.watch;
  if (watch) draft.door = { ...draft.door, watch: underEmergency(watch) };
  draft.releaseAllForEmergency(pulseMs);
}

export function emergencyEnd(
  draft: StepDraft,
  source: EmergencySource,
  commandId: string | undefined,
): void {
  if (!draft.emergency || draft.emergency.source !== source) return;
  draft.emergency = null;
  draft.record({
    type: 'emergency.ended',
    data: { source, ...(commandId === undefined ? {} : { commandId }) },
  });
  // Slots with a release of their own (a session, a wrong-slot fob) keep it.
  draft.slots.forEach((s, i) => {
    if (s.release === null) draft.effects.push({ kind: 'lock', slot: i + 1 });
  });
  if (!draft.session) draft.effects.push({ kind: 'door', unlocked: false });
}

/**
 * Lockdown: from now every badge is denied (reason `lockdown`) except the listed holders'. An
 * open session of anyone else ends at once. A lockdown while one is in force replaces it.
 * It does not undo an emergency release: evacuation comes first.
 */
export function lockdownStart(
  draft: StepDraft,
  commandId: string,
  allowHolders: number[],
  allowGroups: number[],
): void {
  const allowed = [...new Set(allowHolders)].sort((a, b) => a - b);
  const groups = [...new Set(allowGroups)].sort((a, b) => a - b);
  const withGroups = groups.length === 0 ? {} : { allowGroups: groups };
  draft.lockdown = { commandId, allowHolders: allowed, ...withGroups };
  draft.record({
    type: 'lockdown.started',
    data: { commandId, allowHolders: allowed, ...withGroups },
  });
  const session = draft.session;
  const admitted = (holderId: number) =>
    allowed.includes(holderId) ||
    draft.ctx.directory.groupsOf(holderId).some((g) => groups.includes(g));
  if (session && !admitted(session.holderId)) draft.endSession();
}

export function lockdownEnd(draft: StepDraft, commandId: string): void {
  if (!draft.lockdown) return;
  draft.lockdown = null;
  draft.record({ type: 'lockdown.ended', data: { commandId } });
}

/** A custodian lifts a lockout early; the escalation level stays, so the next one is longer. */
export function clearLockout(draft: StepDraft, actor: Actor, subject: LockoutSubject): void {
  const { book, lifted } = clearLock(draft.lockouts, subject);
  if (!lifted) return;
  draft.lockouts = book;
  draft.record({ type: 'lockout.cleared', data: { ...liftedRef(draft, lifted), actor } });
}
