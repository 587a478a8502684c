import type { AlarmType } from './cabinet-state.js';

/** How an alarm shows at the cabinet. */
export interface AlarmSignalling {
  /**
   * Lights the red LED and sounds the buzzer when raised. A silent alarm (a duress badge, say)
   * is listed and published like any other, but gives nothing away to whoever stands there.
   */
  sounds: boolean;
}

/** Per alarm type: an exhaustive table, so a new alarm type must say how it shows. */
const SIGNALLING: Record<AlarmType, AlarmSignalling> = {
  'door.forced': { sounds: true },
  'key.forced': { sounds: true },
  'key.wrong_slot': { sounds: true },
  'key.unknown_fob': { sounds: true },
  'reader.offline': { sounds: true },
  'cabinet.tamper': { sounds: true },
  'reader.tampered': { sounds: true },
  'power.failed': { sounds: true },
  // Only the central server can act on a backlog: nobody at the cabinet needs the noise.
  'storage.backlog': { sounds: false },
  'storage.full': { sounds: true },
  'storage.readonly': { sounds: true },
  'storage.corrupt': { sounds: true },
  'storage.failed': { sounds: true },
  'door.held_open': { sounds: true },
  'key.swapped': { sounds: true },
  'key.duplicate_fob': { sounds: true },
  // Sounding at every flood would only tell the one tapping blank cards that it works.
  'reader.card_flood': { sounds: false },
  'key.missing': { sounds: true },
  // An overdue key is the central server's business, not a reason to sound the buzzer at night.
  'key.overdue': { sounds: false },
};

/** Whether raising this alarm lights the red LED and sounds the buzzer. */
export function alarmSounds(type: AlarmType): boolean {
  return SIGNALLING[type].sounds;
}
