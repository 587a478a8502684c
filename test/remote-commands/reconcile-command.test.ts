import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
});
afterAll(() => h.stop());

it('reconcile closes a loan whose key hangs at home, and answers with what it found', async () => {
  // A check-in that never made it to the database: K-1 hangs in slot 1, a loan says it is out.
  const db = openDatabase(h.database);
  db.prepare(
    `INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq)
     VALUES (1, 1, 1, '2026-11-24T08:00:00.000Z', 1)`,
  ).run();
  db.close();
  const before = h.daemon.eventLog.lastSeq();

  const command = signer.sign('reconcile');
  const { reply } = await h.send(command);
  expect(reply).toMatchObject({ status: 'ok', result: { returnedUnrecorded: 1, missing: 0 } });
  const events = h.eventsSince(before);
  expect(events.map((e) => e.type)).toEqual(['command.accepted', 'key.returned_unrecorded']);
  expect(events[1]?.data).toMatchObject({
    keyId: 1,
    slot: 1,
    holderId: 1,
    outAt: '2026-11-24T08:00:00.000Z',
  });
  expect(h.snapshot().lastSeq).toBe(before + 2);

  // Asked again: nothing left to say.
  const again = await h.send(signer.sign('reconcile'));
  expect(again.reply).toMatchObject({
    status: 'ok',
    result: { returnedUnrecorded: 0, missing: 0 },
  });
  expect(h.energised()).toEqual([]);
});
