/**
 * The door's alarm timers: `door.forced` (opened with no grant in force and still open after a
 * debounce) and `door.held_open` (open longer than the held-open time, with a pre-alarm beep
 * counting down to it). Pure: the cabinet flow keeps a `DoorWatch` while the door is open and
 * asks, at each input and tick, what falls due. Every instant is monotonic ms, so a wall-clock
 * step neither raises nor delays these alarms.
 */

export interface DoorTimings {
  /**
   * How long the door must stay open without a grant before `door.forced` is raised: a door
   * shaken in its frame, or a contact that bounces, opens for less than this.
   */
  forcedDebounceMs: number;
  /** Open for this long (a session or not) raises `door.held_open`. */
  heldOpenMs: number;
  /** The buzzer beeps during this last stretch before `door.held_open`; 0: no pre-alarm. */
  preAlarmMs: number;
}

export const DEFAULT_DOOR_TIMINGS: DoorTimings = {
  forcedDebounceMs: 1_000,
  heldOpenMs: 20_000,
  preAlarmMs: 5_000,
};

/** One pre-alarm beep a second: a countdown the person at the cabinet can hear. */
export const PRE_ALARM_BEEP_MS = 1_000;

export interface DoorWatch {
  /** Monotonic ms the door opened. */
  openedAt: number;
  /** No grant (session, emergency) was in force when it opened. */
  unauthorised: boolean;
  forcedRaised: boolean;
  heldOpenRaised: boolean;
  /** Monotonic ms of the next pre-alarm beep; null once the held-open alarm is raised. */
  nextBeepAt: number | null;
  /**
   * The held-open timer does not run during an emergency release: an evacuation props the
   * door open on purpose.
   */
  heldOpenWatched: boolean;
}

export type DoorDue = 'door.forced' | 'door.held_open' | 'pre_alarm';

/** The watch that starts when the door opens. */
export function openDoorWatch(
  now: number,
  opts: { granted: boolean; emergency: boolean },
  timings: DoorTimings,
): DoorWatch {
  return {
    openedAt: now,
    unauthorised: !opts.granted && !opts.emergency,
    forcedRaised: false,
    heldOpenRaised: false,
    nextBeepAt:
      timings.preAlarmMs > 0 ? now + Math.max(0, timings.heldOpenMs - timings.preAlarmMs) : null,
    heldOpenWatched: !opts.emergency,
  };
}

/**
 * What falls due at `now`, in the order to act on it, and the watch after. Each alarm is due
 * once; the pre-alarm beeps once per `PRE_ALARM_BEEP_MS` (a late tick gives one beep, not a
 * burst) until the held-open alarm takes over.
 */
export function dueAtDoor(
  watch: DoorWatch,
  now: number,
  timings: DoorTimings,
): { watch: DoorWatch; due: DoorDue[] } {
  const due: DoorDue[] = [];
  let next = watch;
  const openFor = now - watch.openedAt;
  if (next.unauthorised && !next.forcedRaised && openFor >= timings.forcedDebounceMs) {
    next = { ...next, forcedRaised: true };
    due.push('door.forced');
  }
  if (!next.heldOpenWatched) return { watch: next, due };
  if (!next.heldOpenRaised && openFor >= timings.heldOpenMs) {
    next = { ...next, heldOpenRaised: true, nextBeepAt: null };
    due.push('door.held_open');
  } else if (next.nextBeepAt !== null && now >= next.nextBeepAt) {
    next = { ...next, nextBeepAt: now + PRE_ALARM_BEEP_MS };
    due.push('pre_alarm');
  }
  return { watch: next, due };
}

/** An emergency release starting while the door is open stops the held-open countdown. */
export function underEmergency(watch: DoorWatch): DoorWatch {
  return { ...watch, heldOpenWatched: false, nextBeepAt: null };
}
