import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
let h: CommandHarness;

const set = (version: number, homeSlot = 2) => ({
  version,
  holders: [{ id: 7, name: 'Dana', enabled: true }],
  credentials: [{ id: 70, holderId: 7, card: '0008844356', enabled: true }],
  keys: [{ id: 700, tag: 'B0000007', label: 'Store B', homeSlot }],
  permissions: [{ holderId: 7, slot: 2 }],
});

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
});
afterAll(() => h.stop());

it('a payload that is not a permission set at all is refused as invalid_args', async () => {
  const command = signer.sign('sync', { holders: [] });
  const before = h.snapshot();
  h.expectOnlyRejection(before, await h.send(command), 'invalid_args', command.id);
});

it('sync applies the set and records permissions.synced with the acceptance', async () => {
  const command = signer.sign('sync', set(1));
  const { reply } = await h.send(command);
  expect(reply).toMatchObject({
    status: 'ok',
    result: {
      form: 'full',
      version: 1,
      previousVersion: 0,
      counts: { holders: { added: 1 }, permissions: { added: 1 } },
    },
  });
  const [accepted, synced] = h.eventsSince(0).slice(-2);
  expect(accepted).toMatchObject({ type: 'command.accepted', data: { commandId: command.id } });
  expect(synced).toMatchObject({
    type: 'permissions.synced',
    data: { commandId: command.id, version: 1, previousVersion: 0 },
  });
  expect(h.daemon.runner.handle({ kind: 'badge', card: '0008844356' })[0]).toMatchObject({
    type: 'access.granted',
    data: { holderId: 7, holderName: 'Dana' },
  });
});

it('a stale or invalid set is accepted as a command but fails, with the reason and the problems', async () => {
  const stale = await h.send(signer.sign('sync', set(1)));
  expect(stale.reply).toMatchObject({ status: 'failed', reason: 'stale_version' });
  const invalid = await h.send(signer.sign('sync', set(2, 99)));
  expect(invalid.reply).toMatchObject({
    status: 'failed',
    reason: 'invalid',
    problems: [expect.stringContaining('homeSlot')],
  });
  const types = h
    .eventsSince(0)
    .slice(-2)
    .map((e) => e.type);
  expect(types).toEqual(['command.accepted', 'command.accepted']);
});

it('sync carries tiers, loan limits and PINs; a bad PIN hash fails without being echoed', async () => {
  const salt = Buffer.alloc(16, 3).toString('base64');
  const hash = Buffer.alloc(32, 4).toString('base64');
  const pinHash = `scrypt$32768$8$1$${salt}$${hash}`;
  const loaded = (version: number, hashOf: string) => ({
    ...set(version),
    holders: [{ id: 7, name: 'Dana', enabled: true, maxKeysOut: 1 }],
    credentials: [
      {
        id: 70,
        holderId: 7,
        card: '0008844356',
        enabled: true,
        pinRequired: true,
        pinHash: hashOf,
      },
    ],
    keys: [
      {
        id: 700,
        tag: 'B0000007',
        label: 'Store B',
        homeSlot: 2,
        tier: 'master',
        maxLoanMinutes: 60,
        curfewMinute: 1020,
        returnPolicy: 'any',
      },
    ],
    tierRules: [{ tier: 'master', authorisers: 0, pin: true, reasonCode: false }],
    reasonCodes: [{ code: '7', description: 'Stocktake' }],
  });
  const NONE = { added: 0, changed: 0, removed: 0 };
  const bad = `${pinHash.slice(0, -4)}`;
  const refused = await h.send(signer.sign('sync', loaded(3, bad)));
  expect(refused.reply).toMatchObject({
    status: 'failed',
    reason: 'invalid',
    problems: [expect.stringMatching(/^credentials\[0\]\.pinHash: must be a PIN hash/)],
  });
  expect(JSON.stringify(refused.reply)).not.toContain(bad);

  // Without a PIN hash the credential that requires one is refused at the badge.
  const { reply } = await h.send(signer.sign('sync', { ...loaded(3, pinHash), credentials: [] }));
  expect(reply).toMatchObject({ status: 'ok' });
  const noPin = await h.send(signer.sign('sync', loaded(4, null as unknown as string)));
  expect(noPin.reply).toMatchObject({
    status: 'ok',
    result: {
      version: 4,
      counts: {
        credentials: { added: 1 },
        tierRules: NONE,
        reasonCodes: NONE,
      },
    },
  });
  expect(h.daemon.runner.handle({ kind: 'badge', card: '0008844356' })).toMatchObject([
    { type: 'access.denied', data: { reason: 'pin_not_set' } },
  ]);

  const withPin = await h.send(signer.sign('sync', loaded(5, pinHash)));
  expect(withPin.reply).toMatchObject({
    status: 'ok',
    result: { counts: { credentials: { changed: 1 } } },
  });
  // Now the PIN is asked for: the badge neither grants nor is refused yet.
  expect(h.daemon.runner.handle({ kind: 'badge', card: '0008844356' })).toEqual([]);
});
