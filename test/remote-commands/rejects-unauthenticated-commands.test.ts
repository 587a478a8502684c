import { afterAll, beforeAll, expect, it } from 'vitest';
import { signCommand } from '../../src/contract/signed-command.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
const impostor = new TestSigner(signer.keyId); // same key id, another key
let h: CommandHarness;

beforeAll(async () => {
  // Each refusal's own trace is what this file checks: no summing up of refusals of a kind
  // (that is test/security/unsigned-command-flood.test.ts).
  h = await CommandHarness.start([signer], undefined, { rejectionWindowSeconds: 0 });
  expect((await h.send(signer.sign('ping'))).reply.status).toBe('ok');
});
afterAll(() => h.stop());

it('an unsigned command is refused as unsigned', async () => {
  const before = h.snapshot();
  const command = signer.unsigned('release', { slot: 1, holderId: 1 });
  h.expectOnlyRejection(before, await h.send(command), 'unsigned', command.id);
});

it('a command signed with another key under a known key id is refused as bad_signature', async () => {
  const before = h.snapshot();
  const command = impostor.sign('emergency_release', {}, { counter: signer.counter + 100 });
  h.expectOnlyRejection(before, await h.send(command), 'bad_signature', command.id);
});

it('a command changed after signing is refused as bad_signature', async () => {
  const before = h.snapshot();
  const signed = signer.sign('release', { slot: 3, holderId: 1 });
  const modified = { ...signed, args: { slot: 1, holderId: 1 } };
  h.expectOnlyRejection(before, await h.send(modified), 'bad_signature', signed.id);
});

it('a command naming a key the cabinet does not know is refused as unknown_key', async () => {
  const before = h.snapshot();
  const command = signCommand(
    signer.unsigned('emergency_release', {}, { keyId: 'retired-key' }),
    signer.privateKey,
  );
  const received = await h.send(command);
  h.expectOnlyRejection(before, received, 'unknown_key', command.id);
  expect(h.eventsSince(before.lastSeq)[0]?.data).toMatchObject({ keyId: 'retired-key' });
});
