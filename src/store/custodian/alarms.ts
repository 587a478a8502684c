import type { Database } from 'better-sqlite3';
import type { AlarmType, ReaderName } from '../../domain/cabinet-state.js';
import type { Actor } from '../../domain/events.js';
import { KeywardenError } from '../../errors.js';
import { cachedStatement } from '../statement-cache.js';
import { change, type ChangeScope } from './scope.js';

/** An alarm raised since the daemon last started and not cleared, as the console lists it. */
export interface ActiveAlarmRow {
  /** The seq of the event that raised it: how an acknowledgement names it. */
  seq: number;
  type: AlarmType;
  slot: number | null;
  reader: ReaderName | null;
  since: string;
  /** What the raising event said (a key's label, a holder's name, a due time). */
  data: Record<string, unknown>;
  acknowledged: { actor: Actor; note: string; at: string } | null;
}

/** The most alarms listed: a cabinet in a storm of them still answers in one small page. */
export const MAX_ACTIVE_ALARMS = 200;

/**
 * The event types read to replay the alarms. The same list as the partial index events_alarms
 * (migrations/015_reader_tampered_alarm.sql): SQLite uses it only for this very condition.
 */
const ALARM_EVENTS_CONDITION = `type IN ('key.forced', 'key.wrong_slot', 'key.unknown_fob',
  'door.forced', 'key.overdue', 'door.held_open', 'key.swapped', 'key.duplicate_fob',
  'key.missing', 'reader.offline', 'reader.card_flood', 'reader.tampered', 'cabinet.tamper',
  'power.failed', 'storage.backlog', 'alarm.cleared', 'alarm.acknowledged', 'cabinet.started')`;

const LAST_START_SQL = `SELECT coalesce(max(seq), 0) AS seq FROM events
  WHERE ${ALARM_EVENTS_CONDITION} AND type = 'cabinet.started'`;
const SINCE_SQL = `SELECT seq, type, time, payload FROM events
  WHERE ${ALARM_EVENTS_CONDITION} AND seq > ? ORDER BY seq`;

const sameAlarm = (
  a: { type: string; slot: number | null; reader: string | null },
  b: { type: string; slot: number | null; reader: string | null },
) => a.type === b.type && a.slot === b.slot && a.reader === b.reader;

/**
 * The alarms in force as the event log tells them (the daemon keeps its alarms in memory, and
 * starts with none): every alarm event since the last `cabinet.started` with no later
 * `alarm.cleared` of the same type, slot and reader (how the flow clears them), with its
 * acknowledgement if a custodian gave one. Newest first.
 */
export function activeAlarms(db: Database): ActiveAlarmRow[] {
  return db
    .transaction(() => {
      const { seq: start } = cachedStatement(db, LAST_START_SQL).get() as { seq: number };
      const rows = cachedStatement(db, SINCE_SQL).all(start) as Array<{
        seq: number;
        type: string;
        time: string;
        payload: string;
      }>;
      let active: ActiveAlarmRow[] = [];
      for (const row of rows) {
        const data = (JSON.parse(row.payload) as { data: Record<string, unknown> }).data;
        const slot = typeof data.slot === 'number' ? data.slot : null;
        const reader = typeof data.reader === 'string' ? (data.reader as ReaderName) : null;
        if (row.type === 'cabinet.started') continue;
        if (row.type === 'alarm.cleared') {
          const cleared = { type: String(data.alarm), slot, reader };
          active = active.filter((a) => !sameAlarm(a, cleared));
        } else if (row.type === 'alarm.acknowledged') {
          const target = active.find((a) => a.seq === data.alarmSeq);
          if (target) {
            target.acknowledged = {
              actor: data.actor as Actor,
              note: String(data.note),
              at: row.time,
            };
          }
        } else {
          active.push({
            seq: row.seq,
            type: row.type as AlarmType,
            slot,
            reader,
            since: row.time,
            data,
            acknowledged: null,
          });
        }
      }
      return active.reverse().slice(0, MAX_ACTIVE_ALARMS);
    })
    .deferred();
}

/**
 * Records that a custodian saw an alarm and what they did (`alarm.acknowledged`): the alarm
 * stays in force until the cabinet clears it (an acknowledgement fixes nothing at the cabinet),
 * shown as acknowledged. Refused for an alarm not in force (NOT_FOUND) or already acknowledged
 * (CONFLICT). Not the central server's data: allowed on a centrally managed cabinet.
 */
export function acknowledgeAlarm(scope: ChangeScope, alarmSeq: number, note: string): void {
  change(
    scope,
    () => {
      const alarm = activeAlarms(scope.db).find((a) => a.seq === alarmSeq);
      if (!alarm) {
        throw new KeywardenError('NOT_FOUND', `no active alarm with seq ${alarmSeq}`);
      }
      if (alarm.acknowledged) {
        throw new KeywardenError(
          'CONFLICT',
          `alarm ${alarmSeq} was already acknowledged by ${alarm.acknowledged.actor.account}`,
        );
      }
      return {
        result: undefined,
        events: [
          {
            type: 'alarm.acknowledged',
            data: {
              actor: scope.actor,
              alarmSeq,
              alarm: alarm.type,
              ...(alarm.slot === null ? {} : { slot: alarm.slot }),
              ...(alarm.reader === null ? {} : { reader: alarm.reader }),
              since: alarm.since,
              note,
            },
          },
        ],
      };
    },
    { centralData: false },
  );
}
