import { KeywardenError } from '../../errors.js';
import { change, notFound, policyChanged, stamp, type ChangeScope } from './scope.js';
import { dayName, formatMinute } from '../../domain/values/week-clock.js';

export interface ScheduleRow {
  id: number;
  name: string;
  /** `Mon 08:00-18:00`, with their ids for removal. */
  windows: Array<{ id: number; day: string; hours: string }>;
  /** `2026-12-25 closed`, `2026-12-24 open 08:00-12:00`. */
  exceptions: Array<{ id: number; date: string; kind: 'closed' | 'open'; hours: string | null }>;
}

const hours = (start: number, end: number) => `${formatMinute(start)}-${formatMinute(end)}`;

function scheduleName(scope: Pick<ChangeScope, 'db'>, id: number): string {
  const row = scope.db.prepare('SELECT name FROM schedules WHERE id = ?').get(id) as
    { name: string } | undefined;
  if (!row) throw notFound('schedule', id);
  return row.name;
}

export function addSchedule(scope: ChangeScope, clean: string): number {
  return change(scope, () => {
    const id = Number(
      scope.db
        .prepare('INSERT INTO schedules (name, created_at) VALUES (?, ?)')
        .run(clean, stamp(scope)).lastInsertRowid,
    );
    return { result: id, events: [policyChanged(scope, 'schedule', id, null, { name: clean })] };
  });
}

/** A weekly window; overlapping windows are allowed (their union is open). */
export function addWindow(
  scope: ChangeScope,
  scheduleId: number,
  day: number,
  range: { start: number; end: number },
): number {
  return change(scope, () => {
    scheduleName(scope, scheduleId);
    const id = Number(
      scope.db
        .prepare(
          'INSERT INTO schedule_windows (schedule_id, day, start_minute, end_minute) VALUES (?, ?, ?, ?)',
        )
        .run(scheduleId, day, range.start, range.end).lastInsertRowid,
    );
    return {
      result: id,
      events: [
        policyChanged(scope, 'schedule_window', `${scheduleId}:${id}`, null, {
          scheduleId,
          day: dayName(day),
          hours: hours(range.start, range.end),
        }),
      ],
    };
  });
}

/** A dated exception: `closed` (all day, or the hours given) or `open` (extra hours). */
export function addException(
  scope: ChangeScope,
  scheduleId: number,
  date: string,
  kind: 'closed' | 'open',
  range: { start: number; end: number } | null,
): number {
  return change(scope, () => {
    scheduleName(scope, scheduleId);
    const id = Number(
      scope.db
        .prepare(
          `INSERT INTO schedule_exceptions (schedule_id, date, kind, start_minute, end_minute)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(scheduleId, date, kind, range?.start ?? null, range?.end ?? null).lastInsertRowid,
    );
    return {
      result: id,
      events: [
        policyChanged(scope, 'schedule_exception', `${scheduleId}:${id}`, null, {
          scheduleId,
          date,
          kind,
          hours: range ? hours(range.start, range.end) : null,
        }),
      ],
    };
  });
}

/** Refused while a grant uses the schedule: the grant would silently become unrestricted. */
export function removeSchedule(scope: ChangeScope, id: number): void {
  change(scope, () => {
    const before = listSchedules(scope).find((s) => s.id === id);
    if (!before) throw notFound('schedule', id);
    const grants = scope.db
      .prepare('SELECT count(*) AS n FROM policy_grants WHERE schedule_id = ?')
      .get(id) as { n: number };
    if (grants.n > 0) {
      throw new KeywardenError(
        'CONFLICT',
        `schedule ${id} is used by ${grants.n} grant(s); revoke or change them first`,
      );
    }
    scope.db.prepare('DELETE FROM schedule_windows WHERE schedule_id = ?').run(id);
    scope.db.prepare('DELETE FROM schedule_exceptions WHERE schedule_id = ?').run(id);
    scope.db.prepare('DELETE FROM schedules WHERE id = ?').run(id);
    const { id: _id, ...fields } = before;
    return { result: undefined, events: [policyChanged(scope, 'schedule', id, fields, null)] };
  });
}

export function listSchedules(scope: Pick<ChangeScope, 'db'>): ScheduleRow[] {
  const { db } = scope;
  const schedules = db.prepare('SELECT id, name FROM schedules ORDER BY id').all() as Array<{
    id: number;
    name: string;
  }>;
  const windows = db.prepare(
    `SELECT id, day, start_minute AS s, end_minute AS e FROM schedule_windows
      WHERE schedule_id = ? ORDER BY day, start_minute`,
  );
  const exceptions = db.prepare(
    `SELECT id, date, kind, start_minute AS s, end_minute AS e FROM schedule_exceptions
      WHERE schedule_id = ? ORDER BY date, start_minute`,
  );
  return schedules.map(({ id, name }) => ({
    id,
    name,
    windows: (windows.all(id) as Array<{ id: number; day: number; s: number; e: number }>).map(
      (w) => ({ id: w.id, day: dayName(w.day), hours: hours(w.s, w.e) }),
    ),
    exceptions: (
      exceptions.all(id) as Array<{
        id: number;
        date: string;
        kind: 'closed' | 'open';
        s: number | null;
        e: number | null;
      }>
    ).map((x) => ({
      id: x.id,
      date: x.date,
      kind: x.kind,
      hours: x.s === null || x.e === null ? null : hours(x.s, x.e),
    })),
  }));
}

export function requireSchedule(scope: Pick<ChangeScope, 'db'>, id: number): void {
  scheduleName(scope, id);
}
