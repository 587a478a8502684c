import { createConnection, type Socket } from 'node:net';
import { KeywardenError } from '../errors.js';
import { snapshotDirectory, type NameSnapshot } from '../store/custodian/names.js';
import { custodianClient, type CustodianClient } from './custodian-client.js';
import type { CustodianResponse } from './custodian-protocol.js';
import type { PendingRequest } from './daemon-requests.js';

/**
 * Connects to the running daemon's custodian socket. Null when no daemon listens there (no
 * socket file, or one left by a daemon that stopped): the caller may then open the database
 * itself, if it can. Any other failure (permission denied: not in the socket's group) is thrown.
 */
export async function connectCustodianSocket(
  path: string,
): Promise<{ client: CustodianClient; close(): void } | null> {
  const socket = createConnection(path);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch (error) {
    socket.destroy();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED') return null;
    if (code === 'EACCES') {
      throw new KeywardenError(
        'FORBIDDEN',
        `${path}: permission denied (custodians are members of the socket's group, custodians.socketGroup)`,
      );
    }
    throw error;
  }
  return { client: socketClient(socket), close: () => socket.end() };
}

function socketClient(socket: Socket): CustodianClient {
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let closedBy: Error | undefined;

  const failAll = (error: Error) => {
    closedBy ??= error;
    for (const w of waiting.values()) w.reject(closedBy);
    waiting.clear();
  };
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    buffered += text;
    for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
      const response = JSON.parse(buffered.slice(0, end)) as CustodianResponse;
      buffered = buffered.slice(end + 1);
      if (response.ok) {
        const w = response.id === null ? undefined : waiting.get(response.id);
        waiting.delete(response.id ?? -1);
        w?.resolve(response.result);
        continue;
      }
      const { code, message } = response.error;
      const error = code === 'INTERNAL' ? new Error(message) : new KeywardenError(code, message);
      // An answer with no id (not a custodian, a malformed request) ends the connection.
      if (response.id === null) failAll(error);
      else {
        waiting.get(response.id)?.reject(error);
        waiting.delete(response.id);
      }
    }
  });
  socket.on('error', (error) => failAll(error));
  socket.on('close', () => failAll(new Error('the daemon closed the connection')));

  const call = (op: string, args: unknown[]): Promise<unknown> => {
    if (closedBy) return Promise.reject(closedBy);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      socket.write(JSON.stringify({ id, op, args }) + '\n');
    });
  };
  return custodianClient({
    call,
    request: (op, args): PendingRequest => ({
      outcome: call(op, args) as PendingRequest['outcome'],
      // The daemon closes the request when the connection goes.
      cancel: () => socket.destroy(),
    }),
    names: async () => snapshotDirectory((await call('names.snapshot', [])) as NameSnapshot),
  });
}
