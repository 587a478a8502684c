import type { Database } from 'better-sqlite3';
import type { ImportCabinet } from '../import/import-kind.js';
import type { EventLog } from '../store/event-log.js';
import { CustodianApp } from './custodian-app.js';
import { custodianClient } from './custodian-client.js';
import { authorise, onlyReads, perform, type OperationPlace } from './custodian-operations.js';
import type { CustodianAccount } from './custodian-roles.js';
import type { PendingRequest } from './daemon-requests.js';
import type { ClientFor } from './delegate-connection.js';
import { actingFor } from './delegate-account.js';

/** What the daemon hands the web console it serves itself (the demo). */
export interface InProcessCabinet {
  db: Database;
  eventLog: EventLog;
  /** The daemon's clock, as for every change it records. */
  now: () => Date;
  /** The cabinet's reader, for the checks an import makes. */
  cabinet: ImportCabinet;
  /** A request to the cabinet flow (an enrolment, a lockout cleared) is waiting: look now. */
  requestWaiting(): void;
  /** Events were recorded outside the cabinet runner: publish them. */
  recorded(): void;
}

/**
 * The same `clientFor` as over the socket (delegate-connection.ts), for a web console the daemon
 * serves itself (the demo, `run --demo`): each call carried out on the daemon's own database,
 * for `<user>@<delegate>` with the lesser of the two roles (actingFor), through the one table of
 * custodian-operations.ts. A page that goes away cancels its waiting request itself.
 */
export function inProcessClients(cabinet: InProcessCabinet, delegate: CustodianAccount): ClientFor {
  return (user) => {
    const open = () => {
      const who = actingFor(delegate, user);
      const app = CustodianApp.open(
        cabinet.db,
        cabinet.eventLog,
        { kind: 'custodian', account: who.account },
        cabinet.now,
      );
      return { app, who };
    };
    const place = (who: CustodianAccount, waiting: OperationPlace['waiting']): OperationPlace => ({
      account: who,
      cabinet: cabinet.cabinet,
      waiting,
    });
    const requestWaiting = () => cabinet.requestWaiting();
    return custodianClient({
      call: async (op, args) => {
        const { app, who } = open();
        const result = await perform(app, op, args, place(who, requestWaiting));
        if (!onlyReads(op)) cabinet.recorded();
        return result;
      },
      request: (op, args) => {
        const { app, who } = open();
        // The operation hands its pending request to `waiting` before it awaits the outcome.
        let pending: PendingRequest | undefined;
        const capture = place(who, (request) => {
          pending = request;
          requestWaiting();
        });
        void authorise(who, op, args).run(app, args, capture);
        if (!pending) throw new Error(`${op} is not a request to the daemon`);
        return pending;
      },
      // A bad name is a rejection, as every other call's.
      names: () => Promise.resolve().then(() => open().app.names()),
    });
  };
}
