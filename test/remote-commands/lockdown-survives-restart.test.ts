import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/domain/events.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';
import { ALICE } from '../support/seed.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]); // Alice is holder 1
});
afterAll(() => h.stop());

function badge(): RecordedEvent | undefined {
  return h.daemon.runner.handle({ kind: 'badge', card: ALICE })[0];
}

it('a lockdown denies every badge with reason lockdown, also after a restart', async () => {
  const lockdown = signer.sign('lockdown');
  expect((await h.send(lockdown)).reply).toMatchObject({
    status: 'ok',
    result: { lockdown: true, allowHolders: [] },
  });
  expect(badge()).toMatchObject({ type: 'access.denied', data: { reason: 'lockdown' } });

  await h.daemon.stop();
  await h.startDaemon();
  expect(h.daemon.runner.current.lockdown).toEqual({ commandId: lockdown.id, allowHolders: [] });
  expect(badge()).toMatchObject({ type: 'access.denied', data: { reason: 'lockdown' } });
});

it('a holder the lockdown lists is let in', async () => {
  await h.send(signer.sign('lockdown', { allowHolders: [1] }));
  expect(badge()).toMatchObject({ type: 'access.granted', data: { holderId: 1 } });
});

it('a lockdown admitting a custodian group keeps the group across a restart', async () => {
  const lockdown = signer.sign('lockdown', { allowGroups: [9] });
  expect((await h.send(lockdown)).reply).toMatchObject({
    status: 'ok',
    result: { lockdown: true, allowHolders: [], allowGroups: [9] },
  });
  await h.daemon.stop();
  await h.startDaemon();
  expect(h.daemon.runner.current.lockdown).toEqual({
    commandId: lockdown.id,
    allowHolders: [],
    allowGroups: [9],
  });
});

it('lockdown_end lifts it for good, restart included', async () => {
  const end = signer.sign('lockdown_end');
  expect((await h.send(end)).reply).toMatchObject({ status: 'ok', result: { lockdown: false } });
  expect(h.eventsSince(0).at(-1)).toMatchObject({
    type: 'lockdown.ended',
    data: { commandId: end.id },
  });
  await h.daemon.stop();
  await h.startDaemon();
  expect(h.daemon.runner.current.lockdown).toBeNull();
  expect(h.snapshot().lockdown).toEqual([]);
});
