/**
 * The application layer: every operation a custodian, the simulator or (next) the web console
 * and the local socket may ask for, in one object built from a store handle and an actor.
 *
 *   const app = CustodianApp.open(db, log, { kind: 'custodian', account: 'maria' });
 *   const holderId = app.holders.add('Alice Example', { validUntil: '2027-01-01T00:00:00Z' });
 *
 * Each operation takes plain values and checks them here (instants and counts from any caller
 * in checked-input.ts, names and formats in values.ts, the operation's own rules in
 * custodian-rules.ts and the *-operations.ts files), then calls the store, which runs one
 * immediate transaction writing the records and the audit event naming the actor
 * (src/store/custodian/scope.ts), and returns a typed result. Bad input throws a KeywardenError
 * with a stable code (USAGE, NOT_FOUND, CONFLICT) and changes nothing. A caller never sees SQL:
 * the adapters (the CLI in src/cli/commands, later a web route) parse their input, call one
 * operation, present the result. Operations the running daemon must carry out go through
 * `requests`.
 */
import type { Database } from 'better-sqlite3';
import { KeywardenError } from '../errors.js';
import type { Actor } from '../domain/events.js';
import { eventsAfter } from '../store/custodian/events-after.js';
import { activeLockouts } from '../store/custodian/lockouts.js';
import { nameDirectory } from '../store/custodian/names.js';
import type { ChangeScope } from '../store/custodian/scope.js';
import type { EventLog } from '../store/event-log.js';
import { consoleOperations } from './console-operations.js';
import { CsvTransfer } from './csv-transfer.js';
import { DaemonRequests } from './daemon-requests.js';
import { holderOperations } from './holder-operations.js';
import { keyOperations } from './key-operations.js';
import { policyOperations } from './policy-operations.js';
import { recordQueries } from './record-queries.js';
import { Reports } from './reports.js';

export type { NameDirectory } from '../store/custodian/names.js';

export class CustodianApp {
  readonly holders;
  readonly credentials;
  readonly pins;
  readonly keys;
  readonly slots;
  readonly keySets;
  readonly groups;
  readonly schedules;
  readonly permissions;
  readonly grants;
  readonly tiers;
  readonly reasonCodes;
  readonly lockouts;
  readonly alarms;
  readonly contractors;
  readonly events;
  /** The event log and the access matrix a page at a time, filtered in SQL (the console). */
  readonly records;
  /** Names for the ids a table shows ("Alice Example (1)"), looked up as they are shown. */
  readonly names;
  readonly requests: DaemonRequests;
  readonly csv: CsvTransfer;
  readonly reports: Reports;

  static open(
    db: Database,
    log: EventLog,
    actor: Actor,
    now: () => Date = () => new Date(),
  ): CustodianApp {
    return new CustodianApp({ db, log, actor, now });
  }

  constructor(readonly scope: ChangeScope) {
    const s = scope;
    const people = holderOperations(s);
    this.holders = people.holders;
    this.credentials = people.credentials;
    this.pins = people.pins;
    const cabinet = keyOperations(s);
    this.keys = cabinet.keys;
    this.slots = cabinet.slots;
    this.keySets = cabinet.keySets;
    const policy = policyOperations(s);
    this.groups = policy.groups;
    this.schedules = policy.schedules;
    this.permissions = policy.permissions;
    this.grants = policy.grants;
    this.tiers = policy.tiers;
    this.reasonCodes = policy.reasonCodes;
    const web = consoleOperations(s);
    this.alarms = web.alarms;
    this.contractors = web.contractors;
    this.lockouts = {
      /** The lockouts in force at `at`, from the event log. */
      list: (at: Date = s.now()) => activeLockouts(s.db, at),
    };
    this.events = {
      /** The most recent events, oldest first. */
      recent: (limit: number) => s.log.recent(recentLimit(limit)),
      /**
       * The events after `seq`, oldest first, at most `limit` (up to MAX_EVENTS_AFTER), and the
       * log's latest seq: how a process with many live pages (the web console) polls once for
       * all of them. Start with the latest seq to follow only what comes next.
       */
      after: (seq: number, limit: number) => eventsAfter(s.db, afterSeq(seq), afterLimit(limit)),
    };
    this.records = recordQueries(s);
    this.names = () => nameDirectory(s);
    this.requests = new DaemonRequests(s);
    this.csv = new CsvTransfer(s);
    this.reports = new Reports(s.db);
  }
}

/** The most events one `recent` returns: a reader's answer stays a few megabytes at most. */
export const MAX_RECENT_EVENTS = 10_000;

/** The most events one `after` returns: a poll's answer stays small, the next poll goes on. */
export const MAX_EVENTS_AFTER = 1_000;

function afterSeq(seq: unknown): number {
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new KeywardenError(
      'USAGE',
      `seq must be a whole number of at least 0, not ${JSON.stringify(seq)}`,
    );
  }
  return seq;
}

function afterLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new KeywardenError(
      'USAGE',
      `limit must be a whole number of at least 1, not ${JSON.stringify(limit)}`,
    );
  }
  if (limit > MAX_EVENTS_AFTER) {
    throw new KeywardenError('USAGE', `limit may be at most ${MAX_EVENTS_AFTER}, not ${limit}`);
  }
  return limit;
}

function recentLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new KeywardenError(
      'USAGE',
      `limit must be a whole number of at least 1, not ${JSON.stringify(limit)}`,
    );
  }
  if (limit > MAX_RECENT_EVENTS) {
    throw new KeywardenError('USAGE', `limit may be at most ${MAX_RECENT_EVENTS}, not ${limit}`);
  }
  return limit;
}
