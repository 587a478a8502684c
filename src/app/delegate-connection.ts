import { KeywardenError } from '../errors.js';
import { snapshotDirectory, type NameSnapshot } from '../store/custodian/names.js';
import { custodianClient, type CustodianClient } from './custodian-client.js';
import type { CustodianAccount } from './custodian-roles.js';
import { MAX_REQUEST_WAIT_MS, type PendingRequest } from './daemon-requests.js';
import { DelegateLine } from './delegate-line.js';

/** The web layer's one way to the cabinet: a CustodianClient for the person signed in. */
export type ClientFor = (user: CustodianAccount) => CustodianClient;

export interface DelegateConnectionOptions {
  /** A call with no answer for this long fails (a daemon frozen, not just stopped). */
  callTimeoutMs?: number;
  /** A line with nothing waiting hangs up after this long; below the daemon's 30 s. */
  idleMs?: number;
}

/**
 * Requests waiting on lines of their own at once: below the daemon's 8 connections for a
 * delegate, so however many enrolments pages start, the shared line (and its reconnection
 * after a restart) always has room, and everyone else's pages keep working.
 */
export const MAX_WAITING_REQUESTS = 6;

/**
 * The web console's process's way to the running daemon, as its delegate account
 * (`"delegate": true` in custodians.accounts): one shared line for every call, whoever it is for,
 * opened when needed, so the console outlives a restart of the daemon (a call while the daemon
 * is down fails at once with DAEMON_UNAVAILABLE, "the cabinet daemon is not running"); and a line
 * of its own for each request the daemon carries out over time (an enrolment waits for a card
 * up to 10 minutes), so a waiting request holds up nobody's page and cancelling it (hanging up
 * its line) cancels nothing else.
 */
export class DelegateConnection {
  private shared: Promise<DelegateLine> | undefined;
  private readonly requestLines = new Set<DelegateLine>();
  private waitingRequests = 0;
  private readonly callTimeoutMs: number;
  private readonly idleMs: number;
  private closed = false;

  constructor(
    readonly path: string,
    options: DelegateConnectionOptions = {},
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? 60_000;
    this.idleMs = options.idleMs ?? 10_000;
  }

  /** One operation for `as` (the delegate itself when undefined). */
  async call(op: string, args: unknown[], as?: CustodianAccount): Promise<unknown> {
    const line = await this.sharedLine();
    return await line.send(op, args, as, this.callTimeoutMs);
  }

  /** A request the daemon carries out over time, on a line of its own: cancel hangs it up. */
  request(op: string, args: unknown[], as?: CustodianAccount): PendingRequest {
    let line: DelegateLine | undefined;
    const cancelled = new Error(`${op} was cancelled`);
    let cancel = false;
    if (this.waitingRequests >= MAX_WAITING_REQUESTS) {
      throw new KeywardenError(
        'CONFLICT',
        `${MAX_WAITING_REQUESTS} requests already wait at the cabinet (a card to enrol, a lockout to clear): finish or cancel one first`,
      );
    }
    this.waitingRequests += 1;
    const outcome = (async () => {
      line = await this.openLine();
      this.requestLines.add(line);
      try {
        if (cancel) throw cancelled;
        const waited = MAX_REQUEST_WAIT_MS + this.callTimeoutMs;
        return (await line.send(op, args, as, waited)) as Awaited<PendingRequest['outcome']>;
      } finally {
        this.requestLines.delete(line);
        line.end();
      }
    })().finally(() => (this.waitingRequests -= 1));
    return {
      outcome,
      // The daemon closes the request when its connection goes.
      cancel: () => {
        cancel = true;
        line?.end(cancelled);
      },
    };
  }

  /** Hangs up every line; calls after this fail. */
  close(): void {
    this.closed = true;
    void this.shared?.then(
      (line) => line.end(),
      () => undefined,
    );
    for (const line of this.requestLines) line.end();
  }

  private async sharedLine(): Promise<DelegateLine> {
    for (;;) {
      // Callers at the same moment share one opening; a failed one is told to each of them.
      const pending = (this.shared ??= this.openShared());
      const line = await pending;
      if (line.open) return line;
      // Ended (idle, or the daemon went): the first caller to see it opens the next.
      if (this.shared === pending) this.shared = undefined;
    }
  }

  private openShared(): Promise<DelegateLine> {
    const opening = this.openLine();
    opening.catch(() => {
      // The next call tries again.
      if (this.shared === opening) this.shared = undefined;
    });
    return opening;
  }

  private openLine(): Promise<DelegateLine> {
    if (this.closed) return Promise.reject(new Error('the connection to the daemon was closed'));
    return DelegateLine.open(this.path, this.idleMs);
  }
}

/** A CustodianClient whose every call acts for `user`: recorded as `<user>@<delegate>`. */
export function delegateClient(
  connection: DelegateConnection,
  user: CustodianAccount,
): CustodianClient {
  return custodianClient({
    call: (op, args) => connection.call(op, args, user),
    request: (op, args) => connection.request(op, args, user),
    names: async () =>
      snapshotDirectory((await connection.call('names.snapshot', [], user)) as NameSnapshot),
  });
}

/** The delegate's own client (no person named): for what the process does for all, the feed. */
export function delegateOwnClient(connection: DelegateConnection): CustodianClient {
  return custodianClient({
    call: (op, args) => connection.call(op, args),
    request: (op, args) => connection.request(op, args),
    names: async () =>
      snapshotDirectory((await connection.call('names.snapshot', [])) as NameSnapshot),
  });
}
