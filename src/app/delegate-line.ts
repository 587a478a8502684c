import { createConnection, type Socket } from 'node:net';
import { KeywardenError } from '../errors.js';
import type { CustodianResponse } from './custodian-protocol.js';
import type { CustodianAccount } from './custodian-roles.js';

/** The daemon is down (no socket, or one nobody listens on): said the same way everywhere. */
export const daemonNotRunning = (path: string) =>
  new KeywardenError(
    'DAEMON_UNAVAILABLE',
    `the cabinet daemon is not running (nothing answers on ${path}): start it, or wait for it to restart`,
  );

/**
 * One connection of a delegate to the daemon's custodian socket (src/app/custodian-protocol.ts):
 * requests written as they come, answers matched by id (the daemon answers in order). When the
 * connection ends, for whatever reason, every request still waiting fails with
 * DAEMON_UNAVAILABLE and the line is done: the owner opens a new one for the next call.
 */
export class DelegateLine {
  private readonly waiting = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();
  private nextId = 1;
  private endedBy: Error | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly path: string,
    /** With nothing waiting for this long, the line hangs up itself (see open). */
    private readonly idleMs: number,
  ) {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      buffered += text;
      for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        let response: CustodianResponse;
        try {
          response = JSON.parse(line) as CustodianResponse;
        } catch {
          // Not the daemon's protocol: whatever sits on this socket, nothing more is believed.
          this.end(new Error(`${path} answered something other than the custodian protocol`));
          return;
        }
        this.answer(response);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.end(
        new KeywardenError(
          'DAEMON_UNAVAILABLE',
          `the connection to the cabinet daemon failed (${error.code ?? error.message}): try again`,
        ),
      ),
    );
    socket.on('close', () =>
      this.end(
        new KeywardenError(
          'DAEMON_UNAVAILABLE',
          'the cabinet daemon closed the connection (it stopped or restarted): try again',
        ),
      ),
    );
    this.armIdle();
  }

  /**
   * Connects. `idleMs` should stay below the daemon's own idle timeout (30 s), so the daemon
   * never hangs up on a line in the moment a request is written to it. No daemon listening is
   * DAEMON_UNAVAILABLE, a socket this process may not open is FORBIDDEN.
   */
  static open(path: string, idleMs: number): Promise<DelegateLine> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(new DelegateLine(socket, path, idleMs));
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.destroy();
        if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') {
          reject(daemonNotRunning(path));
        } else if (error.code === 'EACCES') {
          reject(
            new KeywardenError(
              'FORBIDDEN',
              `${path}: permission denied (the web console's user must be in the socket's group, custodians.socketGroup)`,
            ),
          );
        } else reject(error);
      });
    });
  }

  get open(): boolean {
    return this.endedBy === undefined;
  }

  /** How many requests wait for their answer. */
  get busy(): number {
    return this.waiting.size;
  }

  /**
   * One request, answered or failed; a request with no answer within `timeoutMs` fails and
   * ends the line, since every later answer on it waits behind the missing one.
   */
  send(op: string, args: unknown[], as: CustodianAccount | undefined, timeoutMs: number) {
    if (this.endedBy) return Promise.reject(this.endedBy);
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.end(
            new KeywardenError(
              'DAEMON_UNAVAILABLE',
              `the cabinet daemon did not answer ${op} within ${Math.round(timeoutMs / 1000)} s`,
            ),
          ),
        timeoutMs,
      );
      const settled = () => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (this.waiting.size === 0) this.armIdle();
      };
      this.waiting.set(id, {
        resolve: (value) => {
          settled();
          resolve(value);
        },
        reject: (error) => {
          settled();
          reject(error);
        },
      });
      const request = as === undefined ? { id, op, args } : { id, op, args, as };
      this.socket.write(JSON.stringify(request) + '\n');
    });
  }

  /** Hangs up: what still waits fails with `why`. */
  end(why: Error = daemonNotRunning(this.path)): void {
    if (this.endedBy) return;
    this.endedBy = why;
    clearTimeout(this.idleTimer);
    for (const waiter of [...this.waiting.values()]) waiter.reject(why);
    this.socket.destroy();
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.endedBy) return;
    this.idleTimer = setTimeout(() => this.end(), this.idleMs);
    // An idle line must not keep the process alive.
    this.idleTimer.unref();
  }

  private answer(response: CustodianResponse): void {
    if (response.ok) {
      if (response.id !== null) this.waiting.get(response.id)?.resolve(response.result);
      return;
    }
    const { code, message } = response.error;
    const error = code === 'INTERNAL' ? new Error(message) : new KeywardenError(code, message);
    // An answer without an id (this account refused, too many connections, a malformed line)
    // is the daemon's last word on this connection.
    if (response.id === null) this.end(error);
    else this.waiting.get(response.id)?.reject(error);
  }
}
