import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
});
afterAll(() => h.stop());

it('the same command sent twice is executed once; the second is refused as replayed', async () => {
  const command = signer.sign('emergency_release_end');
  expect((await h.send(command)).reply.status).toBe('ok');
  const before = h.snapshot();
  h.expectOnlyRejection(before, await h.send(command), 'replayed', command.id);
});

it('a new command reusing the last counter is refused as replayed', async () => {
  const last = signer.sign('ping');
  expect((await h.send(last)).reply.status).toBe('ok');
  const before = h.snapshot();
  const again = signer.sign('ping', {}, { counter: last.counter });
  h.expectOnlyRejection(before, await h.send(again), 'replayed', again.id);
});

it('an older command arriving after a newer one is refused as out_of_order', async () => {
  const older = signer.sign('emergency_release');
  const newer = signer.sign('ping');
  expect((await h.send(newer)).reply.status).toBe('ok');
  const before = h.snapshot();
  h.expectOnlyRejection(before, await h.send(older), 'out_of_order', older.id);
});
