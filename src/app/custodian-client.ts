/**
 * The custodian's operations as an adapter in another process sees them (the command line, next
 * the web console): the CustodianApp's groups of operations, each call answered asynchronously,
 * whether it went through the running daemon's socket (custodian-socket-client.ts) or, with the
 * daemon stopped, to the database opened here (local-custodian.ts). Both carry every call out
 * with the one table of custodian-operations.ts.
 */
import type { ImportReport } from '../import/run-import.js';
import type { HistoryQuery } from '../reports/history.js';
import type { Report } from '../reports/report.js';
import type { CsvExport } from './csv-transfer.js';
import type { CustodianApp, NameDirectory } from './custodian-app.js';
import { OPERATIONS } from './custodian-operations.js';
import type { CustodianAccount } from './custodian-roles.js';
import type { PendingRequest } from './daemon-requests.js';

type Promised<F> = F extends (...args: infer A) => infer R
  ? (...args: A) => Promise<Awaited<R>>
  : never;
type PromisedGroup<G> = { readonly [K in keyof G]: Promised<G[K]> };

/** The groups whose operations take and return what JSON carries, as they are. */
type PlainGroups =
  | 'holders'
  | 'credentials'
  | 'pins'
  | 'keys'
  | 'slots'
  | 'keySets'
  | 'groups'
  | 'schedules'
  | 'permissions'
  | 'grants'
  | 'tiers'
  | 'reasonCodes'
  | 'alarms'
  | 'contractors'
  | 'events'
  | 'records';

type ImportKindName = 'holders' | 'credentials' | 'permissions';

export type CustodianClient = { readonly [K in PlainGroups]: PromisedGroup<CustodianApp[K]> } & {
  /** The lockouts in force now (the daemon's now). */
  readonly lockouts: { list(): Promise<ReturnType<CustodianApp['lockouts']['list']>> };
  /** keysOut and overdue are as of the daemon's clock. */
  readonly reports: {
    keysOut(): Promise<Report>;
    overdue(): Promise<Report>;
    history(query: HistoryQuery): Promise<Report>;
    prunedBefore(): Promise<string | null>;
    accessMatrix(options?: { holderId?: number }): Promise<Report>;
    audit(options?: { findingsOnly?: boolean }): Promise<Report>;
  };
  /** An import kind by name; the cabinet's reader checks are the caller side's. */
  readonly csv: {
    import(kind: ImportKindName, csv: string, options: { dryRun: boolean }): Promise<ImportReport>;
    export(kind: ImportKindName, options: { cards: boolean }): Promise<CsvExport>;
  };
  readonly account: { current(): Promise<CustodianAccount> };
  readonly requests: {
    enrolNextCard(holderId: number, waitMs: number): PendingRequest;
    clearLockout(target: { credentialId: number } | 'reader', waitMs: number): PendingRequest;
  };
  /** Names for the ids a table shows. */
  names(): Promise<NameDirectory>;
};

/** How a client reaches the operations. */
export interface CustodianTransport {
  call(op: string, args: unknown[]): Promise<unknown>;
  /** A request the daemon carries out (an enrolment, a lockout cleared), cancellable. */
  request(op: string, args: unknown[]): PendingRequest;
  names(): Promise<NameDirectory>;
}

const REQUEST_OPS = new Set(['requests.enrolNextCard', 'requests.clearLockout']);

/** Every operation of the table as a method of its group, through the transport. */
export function custodianClient(transport: CustodianTransport): CustodianClient {
  const groups: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
  for (const op of Object.keys(OPERATIONS)) {
    const [group = '', method = ''] = op.split('.');
    groups[group] ??= {};
    groups[group][method] = REQUEST_OPS.has(op)
      ? (...args) => transport.request(op, args)
      : (...args) => transport.call(op, args);
  }
  // The type is written to match the table; test/app/custodian-socket-operations.test.ts checks
  // that every operation of the table is one of the application layer.
  return { ...groups, names: () => transport.names() } as unknown as CustodianClient;
}
