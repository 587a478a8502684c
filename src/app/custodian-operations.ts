/**
 * Every operation a custodian may ask of the running daemon through its local socket
 * (src/daemon/services/custodian-socket.ts), by name, with the least role it needs and how it
 * is carried out on the CustodianApp opened in the caller's name. The same table serves the
 * command line with the daemon stopped (custodian-client.ts), so both ways behave alike.
 *
 * Arguments arrive as JSON from another process: each operation checks its values as it does
 * for any caller (values.ts, checked-input.ts, the store's NOT_FOUND), and the few that take
 * what JSON cannot carry (a Date, an import kind, the cabinet's reader) get it here, from the
 * daemon's side, never from the request.
 */
import { KeywardenError } from '../errors.js';
import type { ImportCabinet } from '../import/import-kind.js';
import { importKind } from '../import/kinds.js';
import { nameSnapshot, type NameSnapshot } from '../store/custodian/names.js';
import type { CustodianApp } from './custodian-app.js';
import type { PendingRequest } from './daemon-requests.js';
import { roleAllows, type CustodianAccount, type CustodianRole } from './custodian-roles.js';

/** What the caller's side supplies that a request cannot. */
export interface OperationPlace {
  /** Who asks: the account the changes are recorded under, and its role. */
  account: CustodianAccount;
  /** The cabinet's hardware, for the checks an import makes against the badge reader. */
  cabinet: ImportCabinet;
  /** A request to the daemon is waiting: cancel it if the caller goes away first. */
  waiting(request: PendingRequest): void;
}

interface Operation {
  role: CustodianRole;
  run(app: CustodianApp, args: unknown[], place: OperationPlace): unknown;
}

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * An app method called with the request's arguments as they came. The cast is where JSON
 * meets the typed operations: what it lets through, the operation's own checks refuse.
 */
const call = (
  role: CustodianRole,
  method: (app: CustodianApp) => AnyFunction | object,
): Operation => ({
  role,
  run: (app, args) => (method(app) as AnyFunction)(...args),
});
const read = (method: (app: CustodianApp) => object) => call('viewer', method);
const change = (method: (app: CustodianApp) => object) => call('custodian', method);

function kindNamed(name: unknown) {
  const kind = typeof name === 'string' ? importKind(name) : undefined;
  if (!kind) throw new KeywardenError('USAGE', `no such import kind: ${String(name)}`);
  return kind;
}

/** A pending request settles into the response: the caller awaits its outcome. */
function awaited(request: PendingRequest, place: OperationPlace): Promise<unknown> {
  place.waiting(request);
  return request.outcome;
}

const options = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  'holders.add': change((a) => a.holders.add),
  'holders.list': read((a) => a.holders.list),
  'holders.search': read((a) => a.holders.search),
  'holders.show': read((a) => a.holders.show),
  'holders.disable': change((a) => a.holders.disable),
  'holders.enable': change((a) => a.holders.enable),
  'holders.update': change((a) => a.holders.update),
  'credentials.add': change((a) => a.credentials.add),
  'credentials.update': change((a) => a.credentials.update),
  'credentials.list': read((a) => a.credentials.list),
  'pins.state': read((a) => a.pins.state),
  'pins.set': change((a) => a.pins.set),
  'pins.setRequired': change((a) => a.pins.setRequired),
  'pins.clear': change((a) => a.pins.clear),
  'pins.resetWrongPins': change((a) => a.pins.resetWrongPins),
  'keys.add': change((a) => a.keys.add),
  'keys.update': change((a) => a.keys.update),
  'keys.setState': change((a) => a.keys.setState),
  'keys.list': read((a) => a.keys.list),
  'keys.out': read((a) => a.keys.out),
  'slots.list': read((a) => a.slots.list),
  'slots.overview': read((a) => a.slots.overview),
  'keySets.add': change((a) => a.keySets.add),
  'keySets.rename': change((a) => a.keySets.rename),
  'keySets.remove': change((a) => a.keySets.remove),
  'keySets.addKey': change((a) => a.keySets.addKey),
  'keySets.removeKey': change((a) => a.keySets.removeKey),
  'keySets.list': read((a) => a.keySets.list),
  'groups.add': change((a) => a.groups.add),
  'groups.update': change((a) => a.groups.update),
  'groups.remove': change((a) => a.groups.remove),
  'groups.addMember': change((a) => a.groups.addMember),
  'groups.removeMember': change((a) => a.groups.removeMember),
  'groups.list': read((a) => a.groups.list),
  'schedules.add': change((a) => a.schedules.add),
  'schedules.addWindow': change((a) => a.schedules.addWindow),
  'schedules.addException': change((a) => a.schedules.addException),
  'schedules.remove': change((a) => a.schedules.remove),
  'schedules.list': read((a) => a.schedules.list),
  'schedules.usage': read((a) => a.schedules.usage),
  'permissions.grant': change((a) => a.permissions.grant),
  'permissions.revoke': change((a) => a.permissions.revoke),
  'grants.add': change((a) => a.grants.add),
  'grants.revoke': change((a) => a.grants.revoke),
  'grants.list': read((a) => a.grants.list),
  'grants.inForce': read((a) => a.grants.inForce),
  'tiers.list': read((a) => a.tiers.list),
  'tiers.set': call('admin', (a) => a.tiers.set),
  'reasonCodes.add': change((a) => a.reasonCodes.add),
  'reasonCodes.remove': change((a) => a.reasonCodes.remove),
  'reasonCodes.list': read((a) => a.reasonCodes.list),
  'events.recent': read((a) => a.events.recent),
  'events.after': read((a) => a.events.after),
  'alarms.active': read((a) => a.alarms.active),
  'alarms.acknowledge': change((a) => a.alarms.acknowledge),
  'contractors.add': change((a) => a.contractors.add),
  'records.searchEvents': read((a) => a.records.searchEvents),
  'records.accessMatrixPage': read((a) => a.records.accessMatrixPage),
  // The time of a report or a lockout list is the daemon's, not the caller's.
  'lockouts.list': { role: 'viewer', run: (app) => app.lockouts.list() },
  'reports.keysOut': { role: 'viewer', run: (app) => app.reports.keysOut(app.scope.now()) },
  'reports.overdue': { role: 'viewer', run: (app) => app.reports.overdue(app.scope.now()) },
  'reports.history': read((a) => a.reports.history.bind(a.reports)),
  'reports.prunedBefore': read((a) => a.reports.prunedBefore.bind(a.reports)),
  'reports.accessMatrix': read((a) => a.reports.accessMatrix.bind(a.reports)),
  'reports.audit': read((a) => a.reports.audit.bind(a.reports)),
  'account.current': { role: 'viewer', run: (_app, _args, place) => place.account },
  'names.snapshot': { role: 'viewer', run: (app): NameSnapshot => nameSnapshot(app.scope) },
  'csv.import': {
    role: 'custodian',
    run: (app, [kind, csv, given], place) =>
      app.csv.import(kindNamed(kind), typeof csv === 'string' ? csv : '', {
        dryRun: options(given).dryRun === true,
        cabinet: place.cabinet,
      }),
  },
  'csv.export': {
    // Masked card numbers for any viewer; the full numbers are for an admin (checked below).
    role: 'viewer',
    run: (app, [kind, given]) =>
      app.csv.export(kindNamed(kind), { cards: options(given).cards === true }),
  },
  'requests.enrolNextCard': {
    role: 'custodian',
    run: (app, [holderId, waitMs], place) =>
      awaited(app.requests.enrolNextCard(holderId as number, waitMs as number), place),
  },
  'requests.clearLockout': {
    role: 'custodian',
    run: (app, [target, waitMs], place) =>
      awaited(
        app.requests.clearLockout(target as { credentialId: number } | 'reader', waitMs as number),
        place,
      ),
  },
};

/** The least role an operation with these arguments needs; undefined for no such operation. */
export function neededRole(op: string, args: unknown[]): CustodianRole | undefined {
  if (!Object.hasOwn(OPERATIONS, op)) return undefined;
  if (op === 'csv.export' && options(args[1]).cards === true) return 'admin';
  // A key's tier decides what releasing it asks for: an admin's decision, as the tier rules are.
  if (op === 'keys.add' && options(args[3]).tier !== undefined) return 'admin';
  if (op === 'keys.update' && options(args[1]).tier !== undefined) return 'admin';
  return OPERATIONS[op]?.role;
}

/** True when the operation only reads: nothing to publish after it. */
export const onlyReads = (op: string): boolean => OPERATIONS[op]?.role === 'viewer';

/**
 * Refuses an operation the account's role does not allow (FORBIDDEN), or that does not exist
 * (USAGE); returns the operation otherwise.
 */
export function authorise(who: CustodianAccount, op: string, args: unknown[]): Operation {
  const needed = neededRole(op, args);
  const operation = OPERATIONS[op];
  if (needed === undefined || operation === undefined) {
    throw new KeywardenError('USAGE', `no such operation: ${op}`);
  }
  if (!roleAllows(who.role, needed)) {
    throw new KeywardenError(
      'FORBIDDEN',
      `${who.account} is a ${who.role}: this needs the ${needed} role (custodians.accounts)`,
    );
  }
  return operation;
}

/** Carries out one operation for an authenticated account, once its role allows it. */
export async function perform(
  app: CustodianApp,
  op: string,
  args: unknown[],
  place: OperationPlace,
): Promise<unknown> {
  return await authorise(place.account, op, args).run(app, args, place);
}
