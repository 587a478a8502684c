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
  scheduleId: number | null;
  validFrom: string | null;
  validUntil: string | null;
  maxLoanMinutes: number | null;
  /** JSON arrays built by SQLite: see the grants statement. */
  setSlots: string | null;
  windows: string | null;
  exceptions: string | null;
}

const GRANT_COLUMNS = `g.id, g.holder_id AS holderId, g.group_id AS groupId, g.slot,
  g.key_set_id AS keySetId, g.schedule_id AS scheduleId, g.valid_from AS validFrom,
  g.valid_until AS validUntil, g.max_loan_minutes AS maxLoanMinutes`;

/**
 * The grants naming a holder or one of their groups, each with its key set's home slots and
 * its schedule's windows and exceptions as JSON built inside SQLite: one statement per badge
 * instead of one per key set and two per schedule, each of which costs more in the crossing
 * from JavaScript than in SQLite (measured: 200 µs down to about 50). A vacated (retired) key
 * has no home slot: nothing to release.
 */
const GRANTS_SQL = `
  SELECT g.id, g.holderId, g.groupId, g.slot, g.scheduleId, g.validFrom, g.validUntil,
    g.maxLoanMinutes,
    CASE WHEN g.keySetId IS NULL THEN NULL ELSE
      (SELECT json_group_array(k.home_slot) FROM key_set_members s JOIN keys k ON k.id = s.key_id
        WHERE s.key_set_id = g.keySetId AND k.home_slot IS NOT NULL) END AS setSlots,
    CASE WHEN g.scheduleId IS NULL THEN NULL ELSE
      (SELECT json_group_array(json_array(day, start_minute, end_minute))
         FROM schedule_windows WHERE schedule_id = g.scheduleId) END AS windows,
    CASE WHEN g.scheduleId IS NULL THEN NULL ELSE
      (SELECT json_group_array(json_array(date, kind, start_minute, end_minute))
         FROM schedule_exceptions WHERE schedule_id = g.scheduleId) END AS exceptions
  FROM (SELECT ${GRANT_COLUMNS} FROM policy_grants g WHERE g.holder_id = @holder
        UNION ALL
        SELECT ${GRANT_COLUMNS} FROM group_members m
          JOIN policy_grants g ON g.group_id = m.group_id
         WHERE m.holder_id = @holder) AS g`;

/**
 * Every validity end between two instants. Run at every tick (100 ms), so each arm must be an
 * index range on its valid_until (migrations 005 and 009), never a scan: a scan of 150,000
 * permissions takes milliseconds, and a badge arriving meanwhile waits for it.
 */
export const VALIDITY_ENDS_SQL = `
  SELECT 'holder' AS kind, id, id AS holderId, NULL AS slot, valid_until AS until
    FROM holders WHERE valid_until BETWEEN @from AND @to AND retired = 0
  UNION ALL
  SELECT 'credential', id, holder_id, NULL, valid_until
    FROM credentials WHERE valid_until BETWEEN @from AND @to
  UNION ALL
  SELECT 'permission', 0, holder_id, slot, valid_until
    FROM permissions WHERE valid_until BETWEEN @from AND @to
  UNION ALL
  SELECT 'grant', id, holder_id, slot, valid_until
    FROM policy_grants WHERE valid_until BETWEEN @from AND @to`;

/**
 * The policy's lookups for one badge, over SQLite: the holder's groups, the grants naming the
 * holder or those groups (key sets resolved to home slots, schedules loaded whole), and the
 * slots whose key may not leave. Each is one indexed statement.
 */
export class SqlitePolicyLookups implements ExpirySource {
  private readonly stmts: Record<'groups' | 'grants' | 'unreleasable' | 'validityEnds', Statement>;

  constructor(db: Database) {
    this.stmts = {
      groups: db.prepare('SELECT group_id FROM group_members WHERE holder_id = ?').pluck(),
      grants: db.prepare(GRANTS_SQL),
      unreleasable: db
        .prepare(
          "SELECT home_slot FROM keys WHERE state <> 'active' AND home_slot IS NOT NULL ORDER BY home_slot",
        )
        .pluck(),
      // Text bounds on the indexed columns; the caller widens them (see validityEndsBetween).
      validityEnds: db.prepare(VALIDITY_ENDS_SQL),
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
    return rows.map((row) => ({
      id: row.id,
      subject:
        row.holderId !== null
          ? { kind: 'holder', holderId: row.holderId }
          : { kind: 'group', groupId: row.groupId ?? 0 },
      slots: row.slot !== null ? [row.slot] : (JSON.parse(row.setSlots ?? '[]') as number[]),
      schedule: row.scheduleId === null ? null : scheduleOf(row.scheduleId, row),
      validFromMs: toMs(row.validFrom),
      validUntilMs: toMs(row.validUntil),
      maxLoanMinutes: row.maxLoanMinutes,
    }));
  }

  unreleasableSlots(): number[] {
    return this.stmts.unreleasable.all() as number[];
  }
}

function scheduleOf(id: number, row: GrantRow): Schedule {
  const windows = JSON.parse(row.windows ?? '[]') as Array<[number, number, number]>;
  const exceptions = JSON.parse(row.exceptions ?? '[]') as Array<
    [string, ScheduleException['kind'], number | null, number | null]
  >;
  return {
    id,
    windows: windows.map(([day, startMinute, endMinute]): WeeklyWindow => ({
      day: day as IsoWeekday,
      startMinute,
      endMinute,
    })),
    exceptions: exceptions.map(([date, kind, startMinute, endMinute]) => ({
      date,
      kind,
      startMinute,
      endMinute,
    })),
  };
}

/** An ISO 8601 column as epoch ms; NULL is no bound. */
export function toMs(value: string | null): number | null {
  return value === null ? null : Date.parse(value);
}
