import type { Accept, CommandServices, Execution } from '../command-services.js';

/**
 * Puts every event from `fromSeq` back in the outbox; the publisher sends them again in order.
 * Events the server acknowledged and the cabinet then pruned are gone: the result says where
 * the log now starts, and `complete: false` when the replay cannot begin at `fromSeq`.
 */
export function runReplay(
  { server, outbox }: CommandServices,
  fromSeq: number,
  accept: Accept,
): Execution {
  const { recorded, requeued, firstAvailable, lastSeq } = server.replay(fromSeq, accept);
  outbox.notify();
  const complete = fromSeq >= firstAvailable;
  const result: Record<string, unknown> = { fromSeq, firstAvailable, lastSeq, requeued, complete };
  if (!complete) {
    result.note = `events ${fromSeq} to ${firstAvailable - 1} were pruned after the server acknowledged them and cannot be replayed`;
  }
  return { recorded, outcome: { status: 'ok', result } };
}
