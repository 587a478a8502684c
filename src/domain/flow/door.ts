import { doorTimings } from '../cabinet-state.js';
import { dueAtDoor, openDoorWatch } from '../door-watch.js';
import type { StepDraft } from './step-draft.js';

// The door contact and what its changes mean: a visit's door opened and closed, the door
// forced or held open (the timers are src/domain/door-watch.ts; tick.ts runs them on).

export function door(draft: StepDraft, open: boolean): void {
  if (open === draft.door.open) return;
  if (open) {
    // During an emergency release the door is unlocked: opening it is expected. Without a
    // grant it is forced, once it stays open past the debounce (watchDoor, at each tick).
    const watch = openDoorWatch(
      draft.now,
      { granted: draft.session !== null, emergency: draft.emergency !== null },
      doorTimings(draft.ctx.settings),
    );
    draft.door = { open, watch };
    if (draft.session) draft.session = { ...draft.session, doorOpened: true };
    watchDoor(draft);
  } else {
    draft.door = { open };
    draft.clearAlarm('door.forced');
    draft.clearAlarm('door.held_open');
    // Closing the door after using it ends the visit: relock at once, not at the timeout.
    if (draft.session?.doorOpened) draft.endSession();
  }
}

/** The door alarms' timers (src/domain/door-watch.ts), on the monotonic clock. */
export function watchDoor(draft: StepDraft): void {
  const watch = draft.door.watch;
  if (!watch) return;
  const timings = doorTimings(draft.ctx.settings);
  const next = dueAtDoor(watch, draft.now, timings);
  if (next.watch !== watch) draft.door = { ...draft.door, watch: next.watch };
  for (const due of next.due) {
    if (due === 'pre_alarm') draft.effects.push({ kind: 'signal', signal: 'pre_alarm' });
    else if (due === 'door.forced') draft.record({ type: 'door.forced', data: {} });
    else
      draft.record({
        type: 'door.held_open',
        // Whole seconds, as configured (a record takes only integers).
        data: { heldOpenSeconds: Math.round(timings.heldOpenMs / 1000) },
      });
  }
}
