import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

// Issue 9, items 2 and 5, through the real command intake (Mosquitto, signature, ledger): the
// sync command reads its instants with the one strict reader and its names with the one text
// rule, and says which field of which row is wrong. Nothing of a refused set is applied.

const signer = new TestSigner();
let h: CommandHarness;

const set = (version: number) => ({
  version,
  holders: [
    { id: 7, name: 'Dana', enabled: true },
    { id: 8, name: 'Eve', enabled: true },
    { id: 9, name: 'Finn', enabled: true },
    { id: 10, name: 'Gus', enabled: true },
  ],
  credentials: [{ id: 70, holderId: 7, card: '0008844356', enabled: true }],
  keys: [{ id: 700, tag: 'B0000007', label: 'Store B', homeSlot: 2 }],
  permissions: [{ holderId: 7, slot: 2 }],
});

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
  expect((await h.send(signer.sign('sync', set(1)))).reply).toMatchObject({ status: 'ok' });
});
afterAll(() => h.stop());

it('an impossible validity date fails the sync, naming the row and field', async () => {
  const bad = set(2);
  bad.holders[3] = { ...bad.holders[3]!, validUntil: '2026-02-30T10:00:00Z' } as never;
  (bad.credentials[0] as Record<string, unknown>).validFrom = '2026-04-31T00:00:00Z';
  (bad.holders[1] as Record<string, unknown>).validUntil = '2026-05-01T24:00:00Z';
  const { reply } = await h.send(signer.sign('sync', bad));
  expect(reply).toMatchObject({ status: 'failed', reason: 'invalid' });
  expect((reply as { problems: string[] }).problems).toEqual([
    'holders[1].validUntil: "2026-05-01T24:00:00Z": hour 24 is not accepted; write 00:00 of the next day',
    'holders[3].validUntil: 2026-02-30 is not a date in February 2026 (it has 28 days)',
    'credentials[0].validFrom: 2026-04-31 is not a date in April 2026 (it has 30 days)',
  ]);
  const db = openDatabase(h.database, { readonly: true });
  const holders = db.prepare('SELECT id, valid_until FROM holders ORDER BY id').all();
  db.close();
  expect(holders).toEqual([7, 8, 9, 10].map((id) => ({ id, valid_until: null })));
});

it('a control character or bidi override in a name or label fails the sync', async () => {
  const bad = set(3);
  bad.holders[0]!.name = 'Dana\u001b[2J';
  bad.keys[0]!.label = 'Store \u202eB';
  const { reply } = await h.send(signer.sign('sync', bad));
  expect(reply).toMatchObject({ status: 'failed', reason: 'invalid' });
  expect((reply as { problems: string[] }).problems).toEqual([
    expect.stringMatching(/^holders\[0\]\.name: contains U\+001B \(ESC/),
    expect.stringMatching(/^keys\[0\]\.label: contains U\+202E \(a bidi control/),
  ]);
});

it('a command whose expiry is an impossible date is malformed, never rolled into a later one', async () => {
  const before = h.snapshot();
  const command = signer.sign('ping', {}, { expiresAt: '2099-02-30T00:00:00Z' });
  const received = await h.send(command);
  h.expectOnlyRejection(before, received, 'malformed', command.id);
  expect(received.reply).toMatchObject({
    message: expect.stringContaining(
      'expiresAt: 2099-02-30 is not a date in February 2099 (it has 28 days)',
    ) as string,
  });
});
