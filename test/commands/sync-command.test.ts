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
