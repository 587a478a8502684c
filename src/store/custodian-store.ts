import type { Database } from 'better-sqlite3';
import type { Actor } from '../domain/events.js';
import type { ChangeScope } from './custodian/scope.js';
import type { EventLog } from './event-log.js';

/**
 * Left only for src/daemon/daemon.ts, which builds this handle for the demo seed while it is
 * being restructured: the custodian's operations are in src/app (CustodianApp). Once the daemon
 * passes `CustodianApp.open(db, log, DEMO_ACTOR)` to seedDemo, this file goes.
 */
export class CustodianStore {
  readonly scope: ChangeScope;

  constructor(db: Database, log: EventLog, actor: Actor, now: () => Date = () => new Date()) {
    this.scope = { db, log, actor, now };
  }
}
