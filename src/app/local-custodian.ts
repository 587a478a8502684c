import type { ImportCabinet } from '../import/import-kind.js';
import { custodianClient, type CustodianClient } from './custodian-client.js';
import { authorise, perform, type OperationPlace } from './custodian-operations.js';
import type { CustodianAccount } from './custodian-roles.js';
import type { PendingRequest } from './daemon-requests.js';
import { openCustodianApp } from './open-custodian-app.js';

/**
 * The operations on the database opened in this process: for when the daemon is stopped (or
 * has no socket). Only who may open the database file gets this far (root, the daemon's user);
 * their changes are recorded under their own account.
 */
export function localCustodian(
  cabinet: {
    database: string;
    cabinetId: string;
    slotCount: number;
    /** config `pins.pepperFile`: unset, beside the database. */
    pinPepperFile?: string | undefined;
    reader: ImportCabinet;
  },
  account: CustodianAccount,
): { client: CustodianClient; close(): void } {
  const opened = openCustodianApp(cabinet, { kind: 'custodian', account: account.account });
  const { app } = opened;
  // The caller waits in this process: Ctrl-C cancels the request (closeRequestOnInterrupt).
  const place: OperationPlace = { account, cabinet: cabinet.reader, waiting: () => undefined };
  const client = custodianClient({
    call: (op, args) => perform(app, op, args, place),
    request: (op, args) => {
      // The operation hands its pending request to `waiting` before it awaits the outcome.
      let pending: PendingRequest | undefined;
      const capture = { ...place, waiting: (request: PendingRequest) => (pending = request) };
      void authorise(account, op, args).run(app, args, capture);
      if (!pending) throw new Error(`${op} is not a request to the daemon`);
      return pending;
    },
    names: () => Promise.resolve(app.names()),
  });
  return { client, close: () => opened.close() };
}
