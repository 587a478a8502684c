/**
 * The application layer: every operation a custodian, the simulator or (next) the web console
 * and the local socket may ask for, in one object built from a store handle and an actor.
 *
 *   const app = CustodianApp.open(db, log, { kind: 'custodian', account: 'maria' });
 *   const holderId = app.holders.add('Alice Example', { validUntil: '2027-01-01T00:00:00Z' });
 *
 * Each operation takes plain values, validates them (names and rules in the store, instants
 * and counts from any caller in checked-input.ts), runs one immediate transaction in the
 * store that writes the records and the audit event naming the actor (src/store/custodian/
 * scope.ts), and returns a typed result; bad input throws a KeywardenError with a stable code
 * (USAGE, NOT_FOUND, CONFLICT) and changes nothing. A caller never sees SQL: the adapters (the
 * CLI in src/cli/commands, later a web route) parse their input, call one operation, present
 * the result. Operations the running daemon must carry out go through `requests`.
 */
import type { Database } from 'better-sqlite3';
import type { Actor } from '../domain/events.js';
import * as credentials from '../store/custodian/credentials.js';
import * as grants from '../store/custodian/grants.js';
import * as groups from '../store/custodian/groups.js';
import * as holders from '../store/custodian/holders.js';
import * as keySets from '../store/custodian/key-sets.js';
import * as keys from '../store/custodian/keys.js';
import { activeLockouts } from '../store/custodian/lockouts.js';
import { nameDirectory } from '../store/custodian/names.js';
import * as pins from '../store/custodian/pins.js';
import * as schedules from '../store/custodian/schedules.js';
import type { ChangeScope } from '../store/custodian/scope.js';
import * as tiers from '../store/custodian/tiers.js';
import { CustodianStore } from '../store/custodian-store.js';
import type { EventLog } from '../store/event-log.js';
import { checkedInput } from './checked-input.js';
import { DaemonRequests } from './daemon-requests.js';
import { CsvTransfer } from './csv-transfer.js';
import { Reports } from './reports.js';

/** An operation of the store with its scope (database, log, actor, clock) already given. */
function bound<A extends unknown[], R>(
  scope: ChangeScope,
  operation: (scope: ChangeScope, ...input: A) => R,
): (...input: A) => R {
  return (...input) => operation(scope, ...input);
}

export class CustodianApp {
  readonly holders;
  readonly credentials;
  readonly pins;
  readonly keys;
  readonly slots;
  readonly groups;
  readonly keySets;
  readonly schedules;
  readonly permissions;
  readonly grants;
  readonly tiers;
  readonly reasonCodes;
  readonly lockouts;
  readonly events;
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
    const store = new CustodianStore(s.db, s.log, s.actor, s.now);
    this.holders = {
      add: (name: string, options: holders.HolderOptions = {}) =>
        store.addHolder(name, checkedInput(options)),
      list: () => store.listHolders(),
      show: bound(s, holders.showHolder),
      /** Says which keys the holder still has out: they are not taken back by disabling. */
      disable: bound(s, holders.disableHolder),
      enable: bound(s, holders.enableHolder),
      update: (id: number, patch: Partial<holders.HolderFields>) =>
        holders.updateHolder(s, id, checkedInput(patch)),
    };
    this.credentials = {
      add: (
        holderId: number,
        card: string,
        options: { validFrom?: string | null; validUntil?: string | null } = {},
      ) => credentials.addCredential(s, holderId, card, checkedInput(options)),
      update: (id: number, patch: Parameters<typeof credentials.updateCredential>[2]) =>
        credentials.updateCredential(s, id, checkedInput(patch)),
      list: bound(s, credentials.listCredentials),
    };
    this.pins = {
      state: bound(s, pins.pinState),
      set: bound(s, pins.setPin),
      setRequired: bound(s, pins.setPinRequired),
      clear: bound(s, pins.clearPin),
    };
    this.keys = {
      add: (tag: string, homeSlot: number, label: string, policy: Partial<keys.KeyPolicy> = {}) =>
        keys.addKey(s, tag, homeSlot, label, checkedInput(policy)),
      update: (id: number, patch: Parameters<typeof keys.updateKey>[2]) =>
        keys.updateKey(s, id, checkedInput(patch)),
      list: bound(s, keys.listKeys),
      out: () => store.keysOut(),
    };
    this.slots = { list: bound(s, keys.listSlots) };
    this.groups = {
      add: (name: string, maxLoanMinutes: number | null = null) =>
        groups.addGroup(s, name, checkedInput({ maxLoanMinutes }).maxLoanMinutes),
      update: (id: number, patch: Parameters<typeof groups.updateGroup>[2]) =>
        groups.updateGroup(s, id, checkedInput(patch)),
      remove: bound(s, groups.removeGroup),
      addMember: bound(s, groups.addMember),
      removeMember: bound(s, groups.removeMember),
      list: bound(s, groups.listGroups),
    };
    this.keySets = {
      add: bound(s, keySets.addKeySet),
      rename: bound(s, keySets.renameKeySet),
      remove: bound(s, keySets.removeKeySet),
      addKey: bound(s, keySets.addKeyToSet),
      removeKey: bound(s, keySets.removeKeyFromSet),
      list: bound(s, keySets.listKeySets),
    };
    this.schedules = {
      add: bound(s, schedules.addSchedule),
      addWindow: bound(s, schedules.addWindow),
      addException: bound(s, schedules.addException),
      remove: bound(s, schedules.removeSchedule),
      list: bound(s, schedules.listSchedules),
    };
    this.permissions = {
      grant: (holderId: number, slot: number) => store.grant(holderId, slot),
      revoke: (holderId: number, slot: number) => store.revoke(holderId, slot),
    };
    this.grants = {
      add: (spec: grants.GrantSpec) => grants.grant(s, checkedInput(spec)),
      revoke: bound(s, grants.revokeGrant),
      list: bound(s, grants.listGrants),
    };
    this.tiers = {
      list: bound(s, tiers.listTierRules),
      set: (tier: keys.KeyTier, patch: tiers.TierPatch) =>
        tiers.setTierRule(s, tier, checkedInput(patch)),
    };
    this.reasonCodes = {
      add: bound(s, tiers.addReasonCode),
      remove: bound(s, tiers.removeReasonCode),
      list: bound(s, tiers.listReasonCodes),
    };
    this.lockouts = {
      /** The lockouts in force at `at`, from the event log. */
      list: (at: Date = s.now()) => activeLockouts(s.db, at),
    };
    this.events = {
      /** The most recent events, oldest first. */
      recent: (limit: number) => s.log.recent(limit),
    };
    this.names = () => nameDirectory(s);
    this.requests = new DaemonRequests(s);
    this.csv = new CsvTransfer(s);
    this.reports = new Reports(s.db);
  }
}
