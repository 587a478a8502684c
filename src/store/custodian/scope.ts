import type { Database } from 'better-sqlite3';
import type { Actor, NewEvent, PolicyEntity } from '../../domain/events.js';
import { KeywardenError } from '../../errors.js';
import type { EventLog } from '../event-log.js';
import { currentSyncVersion } from '../permission-sync.js';

/** What every custodian change needs: the database, the log its event goes to, and who. */
export interface ChangeScope {
  db: Database;
  log: EventLog;
  actor: Actor;
  now: () => Date;
}

export type Fields = Record<string, unknown>;

export interface ChangeBody<T> {
  result: T;
  /** Nothing when the change turned out to change nothing. */
  events?: NewEvent[];
}

/**
 * Runs one change: its rows and its events in one immediate transaction, so the daemon (sharing
 * the database file) publishes every change, and a change that fails leaves nothing behind.
 * `centralData` (the default) refuses once the central server owns the set; tier rules, reason
 * codes and PINs are not in the server's set, so they stay local.
 */
export function change<T>(
  scope: ChangeScope,
  body: () => ChangeBody<T>,
  options: { centralData?: boolean } = {},
): T {
  return scope.db
    .transaction(() => {
      if (options.centralData ?? true) refuseWhenManagedCentrally(scope.db);
      const { result, events } = body();
      if (events && events.length > 0) scope.log.appendInTransaction(events);
      return result;
    })
    .immediate();
}

/**
 * Once the central server has synced a permission set, it owns holders, cards, keys, groups,
 * schedules and permissions: a local change would be overwritten by the next sync, and a
 * locally chosen id could collide with the server's.
 */
export function refuseWhenManagedCentrally(db: Database): void {
  const version = currentSyncVersion(db);
  if (version > 0) {
    throw new KeywardenError(
      'CONFLICT',
      `this cabinet's permissions are managed by the central server (sync version ${version}); make the change there`,
    );
  }
}

/** The audit record of a custodian's change: who changed what, before and after. */
export function policyChanged(
  scope: ChangeScope,
  entity: PolicyEntity,
  id: number | string,
  before: Fields | null,
  after: Fields | null,
): NewEvent {
  const kind = before === null ? 'added' : after === null ? 'removed' : 'updated';
  return {
    type: 'policy.changed',
    data: { actor: scope.actor, entity, id: String(id), change: kind, before, after },
  };
}

/** Only the fields that differ, so an update's event says what changed and nothing else. */
export function difference(
  before: Fields,
  after: Fields,
): { before: Fields; after: Fields } | null {
  const keys = Object.keys(after).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  if (keys.length === 0) return null;
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])),
    after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])),
  };
}

/** An `updated` policy.changed with only the changed fields; none when nothing changed. */
export function updated(
  scope: ChangeScope,
  entity: PolicyEntity,
  id: number | string,
  before: Fields,
  after: Fields,
): NewEvent[] {
  const diff = difference(before, after);
  return diff ? [policyChanged(scope, entity, id, diff.before, diff.after)] : [];
}

export function stamp(scope: ChangeScope): string {
  return scope.now().toISOString();
}

export function notFound(what: string, id: number | string): KeywardenError {
  return new KeywardenError('NOT_FOUND', `no ${what} with id ${id}`);
}
