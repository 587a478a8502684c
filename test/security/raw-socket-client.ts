import { createConnection, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

export interface RawResponse {
  id: number | null;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

/**
 * A hand-made client of the custodian socket, writing whatever an attacker would: the lines it
 * is given, as they are. Every response line is kept, and `closed` settles when the daemon
 * hangs up.
 */
export class RawSocketClient {
  readonly responses: RawResponse[] = [];
  readonly closed: Promise<void>;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    const lines = createInterface({ input: socket });
    lines.on('line', (line) => {
      this.responses.push(JSON.parse(line) as RawResponse);
      for (const wake of this.waiters.splice(0)) wake();
    });
    // A daemon that hangs up while we still write (EPIPE) is what the tests provoke.
    socket.on('error', () => undefined);
    lines.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static connect(path: string): Promise<RawSocketClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => resolve(new RawSocketClient(socket)));
      socket.once('error', reject);
    });
  }

  send(request: unknown): void {
    this.socket.write(JSON.stringify(request) + '\n');
  }

  /** The n-th response (from 0), once it has come; rejects if the daemon hangs up first. */
  async response(n: number): Promise<RawResponse> {
    for (;;) {
      const got = this.responses[n];
      if (got) return got;
      const more = new Promise<'more'>((resolve) => this.waiters.push(() => resolve('more')));
      const gone = this.closed.then(() => 'gone' as const);
      if ((await Promise.race([more, gone])) === 'gone' && !this.responses[n]) {
        throw new Error(`the daemon hung up after ${this.responses.length} responses`);
      }
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
