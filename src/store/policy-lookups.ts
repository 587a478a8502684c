import type { Database, Statement } from 'better-sqlite3';
import type { ExpirySource, ValidityEnd } from '../domain/policy/expiries.js';
import type {
  IsoWeekday,
  PolicyGrant,
  Schedule,
  ScheduleException,
  WeeklyWindow,
} from '../domain/model.js';

interface GrantRow {
  id: number;
  holderId: number | null;
  groupId: number | null;
  slot: number | null;
  keySetId: number | null;
  scheduleId: number | null;
  validFrom: string | null;
  validUntil: string | null;
}

const GRANT_COLUMNS = `g.id, g.holder_id AS holderId, g.group_id AS groupId, g.slot,
  g.key_set_id AS keySetId, g.schedule_id AS scheduleId, g.valid_from AS validFrom,
  g.valid_until AS validUntil`;

/**
 * The policy's lookups for one badge, over SQLite: the holder's groups, the grants naming the
 * holder or those groups (key sets resolved to home slots, schedules loaded whole), and the
 * slots whose key may not leave. Each is an indexed query; a badge runs a handful.
 */
export class SqlitePolicyLookups implements ExpirySource {
  private readonly stmts: Record<
    | 'groups'
    | 'grants'
    | 'keySetSlots'
    | 'windows'
    | 'exceptions'
    | 'unreleasable'
    | 'validityEnds',
    Statement
  >;

  constructor(db: Database) {
    this.stmts = {
      groups: db.prepare('SELECT group_id FROM group_members WHERE holder_id = ?').pluck(),
      grants: db.prepare(
        `SELECT ${GRANT_COLUMNS} FROM policy_grants g WHERE g.holder_id = @holder
         UNION ALL
         SELECT ${GRANT_COLUMNS} FROM group_members m JOIN policy_grants g ON g.group_id = m.group_id
          WHERE m.holder_id = @holder`,
      ),
      // A vacated (retired) key has no home slot: nothing to release.
      keySetSlots: db
        .prepare(
          `SELECT k.home_slot FROM key_set_members s JOIN keys k ON k.id = s.key_id
            WHERE s.key_set_id = ? AND k.home_slot IS NOT NULL`,
        )
        .pluck(),
      windows: db.prepare(
        `SELECT day, start_minute AS startMinute, end_minute AS endMinute
           FROM schedule_windows WHERE schedule_id = ?`,
      ),
      exceptions: db.prepare(
        `SELECT date, kind, start_minute AS startMinute, end_minute AS endMinute
           FROM schedule_exceptions WHERE schedule_id = ?`,
      ),
      unreleasable: db
        .prepare(
          "SELECT home_slot FROM keys WHERE state <> 'active' AND home_slot IS NOT NULL ORDER BY home_slot",
        )
        .pluck(),
      // Text bounds on the indexed columns; the caller widens them (see validityEndsBetween).
      validityEnds: db.prepare(
        `SELECT 'holder' AS kind, id, id AS holderId, NULL AS slot, valid_until AS until
           FROM holders WHERE valid_until BETWEEN @from AND @to AND retired = 0
         UNION ALL
         SELECT 'credential', id, holder_id, NULL, valid_until
           FROM credentials WHERE valid_until BETWEEN @from AND @to
         UNION ALL
         SELECT 'permission', 0, holder_id, slot, valid_until
           FROM permissions WHERE valid_until BETWEEN @from AND @to
         UNION ALL
         SELECT 'grant', id, holder_id, slot, valid_until
           FROM policy_grants WHERE valid_until BETWEEN @from AND @to`,
      ),
    };
  }

  /**
   * Validity ends in [fromMs, toMs] and a second either side: stored instants may be written
   * with or without milliseconds ("…:00Z", "…:00.000Z"), which sort differently as text only
   * within the same second. expiriesBetween filters to the exact interval.
   */
  validityEndsBetween(fromMs: number, toMs: number): ValidityEnd[] {
    const rows = this.stmts.validityEnds.all({
      from: new Date(fromMs - 1000).toISOString(),
      to: new Date(toMs + 1000).toISOString(),
    }) as Array<{
      kind: ValidityEnd['kind'];
      id: number;
      holderId: number | null;
      slot: number | null;
      until: string;
    }>;
    return rows.map(({ until, slot, ...row }) => ({
      ...row,
      ...(slot === null ? {} : { slot }),
      untilMs: Date.parse(until),
    }));
  }

  groupsOf(holderId: number): number[] {
    return this.stmts.groups.all(holderId) as number[];
  }

  grantsOf(holderId: number): PolicyGrant[] {
    const rows = this.stmts.grants.all({ holder: holderId }) as GrantRow[];
    // Two grants of one badge often share a schedule or a key set: load each once.
    const schedules = new Map<number, Schedule>();
    const keySets = new Map<number, number[]>();
    return rows.map((row) => ({
      id: row.id,
      subject:
        row.holderId !== null
          ? { kind: 'holder', holderId: row.holderId }
          : { kind: 'group', groupId: row.groupId ?? 0 },
      slots: row.slot !== null ? [row.slot] : this.keySetSlots(row.keySetId ?? 0, keySets),
      schedule: row.scheduleId === null ? null : this.schedule(row.scheduleId, schedules),
      validFromMs: toMs(row.validFrom),
      validUntilMs: toMs(row.validUntil),
    }));
  }

  unreleasableSlots(): number[] {
    return this.stmts.unreleasable.all() as number[];
  }

  private keySetSlots(id: number, cache: Map<number, number[]>): number[] {
    let slots = cache.get(id);
    if (!slots) cache.set(id, (slots = this.stmts.keySetSlots.all(id) as number[]));
    return slots;
  }

  private schedule(id: number, cache: Map<number, Schedule>): Schedule {
    let schedule = cache.get(id);
    if (!schedule) {
      schedule = {
        id,
        windows: this.stmts.windows.all(id) as Array<WeeklyWindow & { day: IsoWeekday }>,
        exceptions: this.stmts.exceptions.all(id) as ScheduleException[],
      };
      cache.set(id, schedule);
    }
    return schedule;
  }
}

/** An ISO 8601 column as epoch ms; NULL is no bound. */
export function toMs(value: string | null): number | null {
  return value === null ? null : Date.parse(value);
}
