import { lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import {
  peerCredentials,
  type PeerCredentials,
} from '../../../drivers/peer-credentials/peer-credentials.js';
import { LogThrottle } from '../../../drivers/serial/log-throttle.js';
import { CustodianApp } from '../../app/custodian-app.js';
import { onlyReads, perform, type OperationPlace } from '../../app/custodian-operations.js';
import {
  BadRequest,
  encodeResponse,
  errorResponse,
  MAX_REQUEST_BYTES,
  parseRequest,
  type CustodianRequest,
  type CustodianResponse,
} from '../../app/custodian-protocol.js';
import type { CustodianAccount } from '../../app/custodian-roles.js';
import type { PendingRequest } from '../../app/daemon-requests.js';
import { actingFor } from '../../app/delegate-account.js';
import type { ClientFor } from '../../app/delegate-connection.js';
import { inProcessClients } from '../../app/delegate-in-process.js';
import { readerRefusal } from '../../cli/card-format.js';
import { isKeywardenError, KeywardenError } from '../../errors.js';
import type { RecordingClock } from '../../domain/clock.js';
import type { Logger } from '../../log/logger.js';
import type { Database } from '../../store/database.js';
import type { EventLog } from '../../store/event-log.js';
import type { CustodianRequests } from '../custodian-requests.js';
import type { DaemonContext } from '../daemon-context.js';
import type { Service } from '../service.js';
import { checkSocketDirectory, clearStaleSocket, restrictSocket } from '../socket-path.js';

/** Connections at once, in all and per Unix user: a flood from one user cannot lock out the rest. */
export const MAX_CONNECTIONS = 16;
export const MAX_CONNECTIONS_PER_USER = 4;
/**
 * A delegate (the web console's process) carries many people over its connections, so its
 * limit is its own, outside the shared one: custodians at the command line cannot crowd the web
 * console out, nor it them. One connection answers in order; a few let a slow import or a
 * waiting enrolment not hold up everyone else's page.
 */
export const MAX_DELEGATE_CONNECTIONS = 8;
/** A connection with no request in progress and nothing sent for this long is closed. */
export const IDLE_TIMEOUT_MS = 30_000;
/**
 * Each kind of refusal (per user) is logged at most once in this long, with how many were held
 * back: a loop of connections must not flood the journal and wear the SD card.
 */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

export interface SocketDeps {
  db: Database;
  clock: RecordingClock;
  eventLog: EventLog;
  requests: CustodianRequests;
  /** Events were recorded outside the cabinet runner: publish them. */
  recordedElsewhere: () => void;
}

/**
 * The custodian's way in while the daemon runs: a local Unix socket where the command line (and
 * next the web console) asks for the application layer's operations (src/app/custodian-operations.ts)
 * in the JSON-lines protocol of src/app/custodian-protocol.ts. The daemon alone holds the database,
 * so a custodian needs no access to it, nor to the pins or the config's secrets.
 *
 * Who asks is the kernel's word: the connecting process's uid from the socket's peer credentials,
 * its user name looked up in custodians.accounts for an account and a role. A user not listed is
 * told so and disconnected before anything it sends is read; every change is recorded under the
 * account, whatever the request says. A delegate account (the web console's process) may name
 * the signed-in person a request is for: it is then recorded as `<person>@<delegate>`, with the
 * lesser of the two roles (src/app/delegate-account.ts), so what the web console does is never
 * more than its own account may, and never in a custodian's own name.
 */
export function custodianSocketService(context: DaemonContext, deps: SocketDeps): Service {
  const { config, profile } = context;
  const logger = context.logger.child({ module: 'custodian-socket' });
  const path = config.custodians.socket;
  const connections = new Set<Socket>();
  const delegateConnections = new Set<Socket>();
  const perUser = new Map<number, number>();
  const refusalLogs = new Map<string, LogThrottle>();
  const refusalLog = (message: string): LogThrottle => {
    let throttle = refusalLogs.get(message);
    if (!throttle) {
      throttle = new LogThrottle(REFUSAL_LOG_INTERVAL_MS, () => context.clock.monotonicMs());
      refusalLogs.set(message, throttle);
    }
    return throttle;
  };
  let server: Server | undefined;
  let ourInode: number | undefined;

  const place =
    (connection: Socket) =>
    (account: CustodianAccount): OperationPlace => ({
      account,
      cabinet: { cardRefusal: (card) => readerRefusal(card, profile.readers.badge) },
      waiting: (request) => cancelOnClose(connection, request, deps),
    });

  const accept = (connection: Socket) => {
    let peer: PeerCredentials;
    try {
      peer = peerCredentials(connection);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'custodian connection without credentials');
      connection.destroy();
      return;
    }
    const accounts = config.custodians.accounts;
    // Own entries only: a Unix user named `constructor` is not a custodian.
    const who =
      peer.user !== null && Object.hasOwn(accounts, peer.user) ? accounts[peer.user] : undefined;
    const refuse = (message: string) => {
      const heldBack = refusalLog(message).take();
      if (heldBack !== null) {
        logger.warn({ uid: peer.uid, user: peer.user, pid: peer.pid, heldBack }, message);
      }
      hangUp(connection, encodeResponse(errorResponse(null, forbidden(message))));
    };
    if (who === undefined) {
      refuse(
        `unix user ${peer.user ?? `uid ${peer.uid}`} is not a custodian of this cabinet (custodians.accounts)`,
      );
      return;
    }
    const delegate = who.delegate === true;
    const mine = perUser.get(peer.uid) ?? 0;
    const full = delegate
      ? mine >= MAX_DELEGATE_CONNECTIONS
      : connections.size >= MAX_CONNECTIONS || mine >= MAX_CONNECTIONS_PER_USER;
    if (full) {
      refuse('too many custodian connections at once: try again shortly');
      return;
    }
    const pool = delegate ? delegateConnections : connections;
    pool.add(connection);
    perUser.set(peer.uid, mine + 1);
    connection.once('close', () => {
      pool.delete(connection);
      const left = (perUser.get(peer.uid) ?? 1) - 1;
      if (left === 0) perUser.delete(peer.uid);
      else perUser.set(peer.uid, left);
    });
    logger.debug(
      { account: who.account, uid: peer.uid, pid: peer.pid, delegate },
      'custodian connected',
    );
    const account = { account: who.account, role: who.role };
    serve(connection, { account, delegate }, place(connection), deps, logger);
  };

  return {
    name: 'custodian socket',
    async start() {
      if (path === null) return;
      refuseDelegateLookalikes(config.custodians.accounts);
      checkSocketDirectory(path);
      await clearStaleSocket(path);
      server = createServer({ pauseOnConnect: true }, accept);
      server.on('error', (error) =>
        logger.error({ err: error.message }, 'custodian socket failed'),
      );
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(path, () => resolve());
      });
      try {
        restrictSocket(path, config.custodians.socketGroup);
        ourInode = lstatSync(path).ino;
      } catch (error) {
        // A service whose start fails is not stopped (ServiceSet): close the listening server
        // here, or it keeps the process alive after the daemon stopped, and systemd waits
        // TimeoutStartSec (90 s) before it kills it instead of seeing exit 78 at once.
        const listening = server;
        server = undefined;
        await new Promise<void>((resolve) => listening.close(() => resolve()));
        throw error;
      }
      logger.info({ path }, 'custodian socket listening');
    },
    async stop() {
      if (!server || path === null) return;
      const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
      for (const connection of [...connections, ...delegateConnections]) connection.destroy();
      await closed;
      // Node removes its socket file on close; remove only ours if it is still there.
      try {
        if (lstatSync(path).ino === ourInode) unlinkSync(path);
      } catch {
        // Already gone.
      }
    },
  };
}

/** Who the web console the daemon serves itself (the demo) speaks through: `alice@web-console`. */
export const IN_PROCESS_DELEGATE: CustodianAccount = { account: 'web-console', role: 'admin' };

/**
 * The web console the daemon serves itself (`run --demo`): the same `clientFor` a delegate gets
 * over this socket, on the daemon's own database and clock, each change recorded as
 * `<person>@web-console` and published, a waiting request looked for at once.
 */
export function inProcessConsoleClients(
  context: DaemonContext,
  deps: SocketDeps,
  delegate: CustodianAccount = IN_PROCESS_DELEGATE,
): ClientFor {
  return inProcessClients(
    {
      db: deps.db,
      eventLog: deps.eventLog,
      now: () => new Date(deps.clock.wallMs()),
      cabinet: { cardRefusal: (card) => readerRefusal(card, context.profile.readers.badge) },
      requestWaiting: () => deps.requests.tick(),
      recorded: deps.recordedElsewhere,
    },
    delegate,
  );
}

const forbidden = (message: string) => new KeywardenError('FORBIDDEN', message);

/**
 * A custodian's own account named like a delegate's person (`alice@web-console` beside a
 * delegate `web-console`) would make the record say the web user alice did what that custodian
 * did, or the reverse: the accounts are the operator's, so the daemon refuses to start on it.
 */
function refuseDelegateLookalikes(
  accounts: Record<string, { account: string; delegate?: boolean }>,
): void {
  const delegates = Object.values(accounts).filter((a) => a.delegate === true);
  for (const [user, { account }] of Object.entries(accounts)) {
    const like = delegates.find((d) => account.endsWith(`@${d.account}`));
    if (like) {
      throw new KeywardenError(
        'CONFIG_INVALID',
        `custodians.accounts.${user}.account: ${account} would read as a person acting through the delegate ${like.account}; choose another name`,
      );
    }
  }
}

/** How long a refused client has to hang up after its answer before it is cut off. */
const LINGER_MS = 2_000;

/**
 * The last line, then the connection closed. What the client still sends is read and dropped:
 * a socket closed with unread input is reset, and the reset would lose the answer on its way.
 * A client that does not hang up is cut off after LINGER_MS, so a refused connection holds no
 * descriptor for long.
 */
function hangUp(connection: Socket, line: string): void {
  connection.removeAllListeners('data');
  connection.on('data', () => undefined);
  connection.on('error', () => connection.destroy());
  connection.setTimeout(LINGER_MS, () => connection.destroy());
  connection.resume();
  connection.end(line);
}

/**
 * A request to the cabinet flow is waiting: the flow looks for it now (a write on the daemon's
 * own connection is not an external change), and it is closed if the caller hangs up first, so
 * a card tapped later is not enrolled in the name of someone who has gone.
 */
function cancelOnClose(connection: Socket, request: PendingRequest, deps: SocketDeps): void {
  deps.requests.tick();
  const cancel = () => request.cancel();
  connection.once('close', cancel);
  const settled = () => connection.removeListener('close', cancel);
  // The request's outcome is awaited by the operation itself, which answers its failure.
  request.outcome.then(settled, settled);
}

/**
 * One connection's requests, one at a time in the order sent: lines of at most
 * MAX_REQUEST_BYTES (a longer one is answered and the connection closed, before it is held in
 * memory whole), a malformed one answered and closed likewise.
 */
function serve(
  connection: Socket,
  peer: { account: CustodianAccount; delegate: boolean },
  placeFor: (account: CustodianAccount) => OperationPlace,
  deps: SocketDeps,
  logger: Logger,
): void {
  // The daemon's clock, as for every other change it records.
  const appFor = (account: string) =>
    CustodianApp.open(
      deps.db,
      deps.eventLog,
      { kind: 'custodian', account },
      () => new Date(deps.clock.wallMs()),
    );
  const own = { app: appFor(peer.account.account), place: placeFor(peer.account) };
  /**
   * Whom a request is carried out for: the connection's account, or the person a delegate's
   * request names (a bad `as` is refused like a bad argument, answered with its id).
   */
  const actor = (request: CustodianRequest) => {
    if (request.as === undefined) return own;
    const who = actingFor(peer.account, request.as);
    return { app: appFor(who.account), place: placeFor(who) };
  };
  const lines: string[] = [];
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let busy = false;
  let finished = false;

  /** The last answer: nothing more is carried out on this connection. */
  const finish = (response: CustodianResponse) => {
    finished = true;
    lines.length = 0;
    hangUp(connection, encodeResponse(response));
  };
  const tooLong = () =>
    finish(
      errorResponse(
        null,
        new BadRequest(`a request may be at most ${MAX_REQUEST_BYTES} bytes; nothing was done`),
      ),
    );

  /**
   * One answer written; the next request waits until the client has read it (or gone), so a
   * client that sends many requests and reads nothing holds one answer in memory, not all.
   */
  const send = async (text: string): Promise<void> => {
    if (connection.write(text) || connection.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        connection.off('drain', done);
        connection.off('close', done);
        resolve();
      };
      connection.on('drain', done);
      connection.on('close', done);
    });
  };

  const answer = async (line: string): Promise<boolean> => {
    let request;
    try {
      request = parseRequest(line, { delegate: peer.delegate });
    } catch (error) {
      finish(errorResponse(null, error));
      return false;
    }
    let account = peer.account.account;
    try {
      const { app, place } = actor(request);
      account = place.account.account;
      const result = await perform(app, request.op, request.args, place);
      if (!onlyReads(request.op)) {
        logger.info({ account, op: request.op }, 'custodian change');
        deps.recordedElsewhere();
      }
      await send(encodeResponse({ id: request.id, ok: true, result: result ?? null }));
    } catch (error) {
      if (!isKeywardenError(error)) {
        logger.error({ err: error, account, op: request.op }, 'custodian request failed');
      }
      await send(encodeResponse(errorResponse(request.id, error)));
    }
    return true;
  };

  const drain = async () => {
    if (busy) return;
    busy = true;
    try {
      for (let line = lines.shift(); line !== undefined; line = lines.shift()) {
        if (!(await answer(line))) return;
      }
    } finally {
      busy = false;
    }
    if (!finished) connection.resume();
  };

  connection.setTimeout(IDLE_TIMEOUT_MS, () => {
    if (!busy) connection.destroy();
  });
  connection.on('error', () => connection.destroy());
  connection.on('data', (chunk: Buffer) => {
    if (finished) return;
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      if (partialBytes + end - start > MAX_REQUEST_BYTES) return tooLong();
      partial.push(chunk.subarray(start, end));
      lines.push(Buffer.concat(partial).toString('utf8'));
      partial = [];
      partialBytes = 0;
      start = end + 1;
    }
    partialBytes += chunk.length - start;
    if (partialBytes > MAX_REQUEST_BYTES) return tooLong();
    partial.push(chunk.subarray(start));
    if (lines.length === 0) return;
    // Requests are answered in order: read no more until these are.
    connection.pause();
    // drain answers every failure itself: nothing is left to reject.
    void drain();
  });
  connection.resume();
}
