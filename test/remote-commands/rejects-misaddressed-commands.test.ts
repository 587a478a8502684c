import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
const forOtherCabinet = new TestSigner(signer.keyId, 'other-cab');
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
  expect((await h.send(signer.sign('ping'))).reply.status).toBe('ok');
});
afterAll(() => h.stop());

it('a command for another cabinet is refused as wrong_cabinet', async () => {
  const before = h.snapshot();
  const command = forOtherCabinet.sign('emergency_release', {}, { counter: 1_000 });
  h.expectOnlyRejection(before, await h.send(command), 'wrong_cabinet', command.id);
});

it('a command published on another command topic than its name is refused as malformed', async () => {
  const before = h.snapshot();
  const command = signer.sign('emergency_release');
  const received = await h.send(command, { topicName: 'ping' });
  h.expectOnlyRejection(before, received, 'malformed', command.id);
  expect(received.reply).toMatchObject({
    message: 'the command is emergency_release but was published on cmd/ping',
  });
});
