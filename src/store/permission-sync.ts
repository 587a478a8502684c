import type { Database } from 'better-sqlite3';
import {
  readSyncEnvelope,
  SECTION_NAMES,
  validatePermissionDelta,
  validatePermissionSet,
  type PermissionSections,
  type SectionName,
  type SectionRows,
  type SetContext,
  type SyncEnvelope,
  type SyncSummary,
} from '../domain/permission-set.js';
import { ensureSlots } from './slots.js';
import { countsOf, diffSets, type SectionDiff, type SetDiff } from './sync-diff.js';
import { KEYS_OUT, SYNC_TABLES } from './sync-tables.js';

export type SyncSuccess = { ok: true } & SyncSummary;

/**
 * Why a sync was not applied. `failed` is an error inside the transaction (the caller's
 * callback, a constraint, a full disk): everything was rolled back, as for the others.
 */
export type SyncFailureReason =
  'malformed' | 'stale_version' | 'base_mismatch' | 'invalid' | 'failed';

export type SyncResult =
  SyncSuccess | { ok: false; reason: SyncFailureReason; message: string; problems?: string[] };

export interface SyncOptions {
  /** The cabinet's slots are 1..slotCount: home slots and permissions must be among them. */
  slotCount: number;
  /**
   * Runs inside the sync's transaction after every write and before the commit, with the
   * result: where the caller appends its `permissions.synced` event, so the set and the
   * record of it commit together. If it throws, the whole sync rolls back.
   */
  inTransaction?: (result: SyncSuccess) => void;
  /** The time stamped on new rows and on sync_state. */
  now?: () => Date;
}

/** A reply lists at most this many problems, not megabytes of them for a set gone wrong. */
const MAX_PROBLEMS = 100;

/**
 * Applies a full permission set or a delta from the central server, in one immediate
 * transaction or not at all. Order: the envelope (malformed), then the version against the
 * one in force (stale_version, base_mismatch), then every row (invalid), then the writes.
 * Nothing is written before all of that passed, and a throw anywhere rolls everything back.
 *
 * Within this process a sync cannot interleave with a badge decision (better-sqlite3 is
 * synchronous). Another connection that reads inside a transaction keeps its snapshot (WAL)
 * until that transaction ends, so it sees the old set or the new one, never a mix.
 */
export function applyPermissionSync(
  db: Database,
  payload: unknown,
  options: SyncOptions,
): SyncResult {
  const envelope = readSyncEnvelope(payload);
  if (!envelope.ok) return refused('malformed', envelope.problems);
  try {
    return db
      .transaction(() => applyInTransaction(db, payload, envelope.value, options))
      .immediate();
  } catch (error) {
    if (error instanceof Refusal) return error.result;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'failed', message: `the sync was rolled back: ${message}` };
  }
}

/** The version of the set in force: 0 before the first sync. */
export function currentSyncVersion(db: Database): number {
  return db.prepare('SELECT version FROM sync_state WHERE id = 1').pluck().get() as number;
}

/** Carries a refusal out of the transaction, which rolls it back on the way. */
class Refusal extends Error {
  constructor(readonly result: SyncResult & { ok: false }) {
    super(result.message);
  }
}

function applyInTransaction(
  db: Database,
  payload: unknown,
  envelope: SyncEnvelope,
  options: SyncOptions,
): SyncSuccess {
  const previousVersion = currentSyncVersion(db);
  const { form, version, baseVersion } = envelope;
  if (version <= previousVersion) {
    throw new Refusal({
      ok: false,
      reason: 'stale_version',
      message: `version ${version} is not newer than the version in force, ${previousVersion}`,
    });
  }
  if (form === 'delta' && baseVersion !== previousVersion) {
    throw new Refusal({
      ok: false,
      reason: 'base_mismatch',
      message: `the delta applies to version ${baseVersion}, but the version in force is ${previousVersion}: send a full set`,
    });
  }

  const context: SetContext = { slotCount: options.slotCount, keysOut: keysOut(db) };
  const current = readCurrentSet(db);
  const next =
    form === 'full'
      ? validatePermissionSet(payload, context, current)
      : validatePermissionDelta(payload, current, context);
  if (!next.ok) throw new Refusal(refused(next.kind, next.problems));

  const diff = diffSets(current, next.value);
  const stamp = (options.now?.() ?? new Date()).toISOString();
  ensureSlots(db, options.slotCount);
  // Sections are written one after another, so a holder may go a moment before the credential
  // that named it moves to another holder. Foreign keys are therefore checked at the commit
  // (of the outermost transaction, if the caller holds one): the validator has checked every
  // reference already, and a violation left by a bug still fails the commit and rolls back.
  db.pragma('defer_foreign_keys = ON');
  writeDiff(db, diff, stamp);
  db.prepare('UPDATE sync_state SET version = ?, applied_at = ? WHERE id = 1').run(version, stamp);

  const result: SyncSuccess = { ok: true, form, version, previousVersion, counts: countsOf(diff) };
  options.inTransaction?.(result);
  return result;
}

function refused(reason: 'malformed' | 'invalid', problems: string[]): SyncResult & { ok: false } {
  const what =
    reason === 'malformed' ? 'the payload is not a permission set' : 'the set is invalid';
  const more =
    problems.length > MAX_PROBLEMS ? [`… and ${problems.length - MAX_PROBLEMS} more`] : [];
  return {
    ok: false,
    reason,
    message: `${what}: ${problems.length} problem${problems.length === 1 ? '' : 's'}, the first: ${problems[0]}`,
    problems: [...problems.slice(0, MAX_PROBLEMS), ...more],
  };
}

function keysOut(db: Database): NonNullable<SetContext['keysOut']> {
  return db.prepare(KEYS_OUT).all() as NonNullable<SetContext['keysOut']>;
}

function readCurrentSet(db: Database): PermissionSections {
  const set = {} as PermissionSections;
  for (const name of SECTION_NAMES) put(set, name, readSection(db, name));
  return set;
}

function readSection<S extends SectionName>(db: Database, name: S): Array<SectionRows[S]> {
  // The JSON is built by our own query in the row shape of the set (sync-tables.ts).
  return JSON.parse(db.prepare(SYNC_TABLES[name].readCurrent).pluck().get() as string) as Array<
    SectionRows[S]
  >;
}

/**
 * Removals first, children before parents, so the cards, tags and slots they held are free;
 * then parks; then updates and inserts, parents first (a credential may name a holder that
 * this same sync adds).
 */
function writeDiff(db: Database, diff: SetDiff, stamp: string): void {
  for (const name of [...SECTION_NAMES].reverse()) removeRows(db, name, diff[name]);
  for (const name of SECTION_NAMES) parkRows(db, name, diff[name]);
  for (const name of SECTION_NAMES) upsertRows(db, name, diff[name], stamp);
}

function removeRows<S extends SectionName>(db: Database, name: S, diff: SectionDiff<S>): void {
  if (diff.removed.length === 0) return;
  const attempts = SYNC_TABLES[name].remove.map((sql) => db.prepare(sql));
  for (const row of diff.removed) attempts.find((stmt) => stmt.run(row).changes > 0);
}

function parkRows<S extends SectionName>(db: Database, name: S, diff: SectionDiff<S>): void {
  const park = SYNC_TABLES[name].park;
  if (!park) return;
  const stmt = db.prepare(park.sql);
  for (const { before, after } of diff.changed) if (park.needed(before, after)) stmt.run(after);
  for (const row of diff.added) if (park.needed(undefined, row)) stmt.run(row);
}

function upsertRows<S extends SectionName>(
  db: Database,
  name: S,
  diff: SectionDiff<S>,
  stamp: string,
): void {
  const { update, insert } = SYNC_TABLES[name];
  if (update && diff.changed.length > 0) {
    const stmt = db.prepare(update.sql);
    for (const { after } of diff.changed) update.run(stmt, after);
  }
  if (diff.added.length > 0) {
    const stmt = db.prepare(insert.sql);
    for (const row of diff.added) insert.run(stmt, row, stamp);
  }
}

function put<S extends SectionName>(
  set: PermissionSections,
  name: S,
  rows: Array<SectionRows[S]>,
): void {
  (set as { [K in S]: Array<SectionRows[K]> })[name] = rows;
}
