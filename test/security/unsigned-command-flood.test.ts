import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_PACKET_BYTES } from '../../src/contract/command-size.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import {
  REFUSAL_REPLIES_PER_SECOND,
  REFUSAL_REPLY_BURST,
} from '../../src/remote-commands/command-intake.js';
import { openDatabase } from '../../src/store/database.js';
import { BASE, CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Issue 11, finding 2: whoever can publish on `cmd/+` needs no key to make the cabinet work.
 * Every unsigned message became a recorded `command.rejected` event (kept until the server
 * acknowledges it) and a reply; a retained garbage message was processed again at every
 * restart; the client took packets of any size. Now refusals of a kind are summed up per window
 * (commands.rejectionWindowSeconds, 60 s here), answered within a budget, retained messages are
 * never acted on, and the broker is told the largest packet the cabinet takes.
 */
const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
});
afterAll(() => h.stop());

/** An unsigned ping with a fresh id: what anybody on the broker can send. */
function unsignedPing(): string {
  const { signature: _none, ...unsigned } = signer.sign('ping');
  return JSON.stringify({ ...unsigned, id: randomUUID() });
}

/** Every event in the database, oldest first, read while the daemon is stopped. */
function storedEvents(database: string): RecordedEvent[] {
  const db = openDatabase(database, { readonly: true });
  try {
    const rows = db.prepare('SELECT payload FROM events ORDER BY seq').all() as Array<{
      payload: string;
    }>;
    return rows.map((row) => JSON.parse(row.payload) as RecordedEvent);
  } finally {
    db.close();
  }
}

it('a thousand unsigned commands leave one command.rejected event and one counted summary', async () => {
  const before = h.snapshot();
  const repliesBefore = h.replies.length;
  const startedMs = performance.now();
  for (let i = 0; i < 1000; i++) h.server.publish(`${BASE}/cmd/ping`, unsignedPing(), { qos: 1 });
  // Commands from one publisher reach the cabinet in order: once this one is answered, the
  // thousand before it were handled.
  const ping = await h.send(signer.sign('ping'));
  const elapsedSeconds = (performance.now() - startedMs) / 1000;
  expect(ping.reply.status).toBe('ok');

  const events = h.eventsSince(before.lastSeq);
  expect(events.map((e) => e.type)).toEqual(['command.rejected', 'command.accepted']);
  expect(events[0]?.data).toMatchObject({ reason: 'unsigned', keyId: signer.keyId });
  const refusals = h.replies.slice(repliesBefore).filter((r) => r.reply.status === 'rejected');
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals.length).toBeLessThanOrEqual(
    REFUSAL_REPLY_BURST + Math.ceil(elapsedSeconds * REFUSAL_REPLIES_PER_SECOND),
  );

  // The window's count is recorded at its end, or at a stop, whichever is first.
  await h.daemon.stop();
  const summary = storedEvents(h.database).filter((e) => e.seq > before.lastSeq);
  expect(summary.map((e) => e.type)).toEqual([
    'command.rejected',
    'command.accepted',
    'command.rejected',
    'cabinet.stopped',
  ]);
  expect(summary[2]?.data).toMatchObject({ reason: 'unsigned', count: 999, windowSeconds: 60 });
  await h.startDaemon();
});

it('a packet larger than the largest command never reaches the cabinet', async () => {
  const before = h.snapshot();
  const repliesBefore = h.replies.length;
  const oversized = Buffer.alloc(MAX_PACKET_BYTES + 1024, 0x20);
  await h.server.publishAsync(`${BASE}/cmd/sync`, oversized, { qos: 1 });
  expect((await h.send(signer.sign('ping'))).reply.status).toBe('ok');
  expect(h.eventsSince(before.lastSeq).map((e) => e.type)).toEqual(['command.accepted']);
  const refused = h.replies.slice(repliesBefore).filter((r) => r.reply.status === 'rejected');
  expect(refused).toEqual([]);
});

it('a retained garbage command is not acted on again at a restart', async () => {
  const garbage = JSON.stringify({ ...JSON.parse(unsignedPing()), id: 'retained-garbage' });
  await h.server.publishAsync(`${BASE}/cmd/ping`, garbage, { qos: 1, retain: true });
  // Published while the cabinet listens, it is delivered once like any message, and refused.
  await waitFor(
    () => h.replies.some((r) => r.reply.commandId === 'retained-garbage'),
    'the live delivery was refused',
  );
  const before = h.snapshot();
  const repliesBefore = h.replies.length;
  await h.daemon.stop();
  await h.startDaemon();
  expect((await h.send(signer.sign('ping'))).reply.status).toBe('ok');
  const refusals = h.eventsSince(before.lastSeq).filter((e) => e.type === 'command.rejected');
  expect(refusals).toEqual([]);
  const answered = h.replies.slice(repliesBefore).map((r) => r.reply.commandId);
  expect(answered).not.toContain('retained-garbage');
});
