import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CommandName } from '../../src/contract/signed-command.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  // Each refusal's own trace is what this file checks: no summing up of refusals of a kind
  // (that is test/security/unsigned-command-flood.test.ts).
  h = await CommandHarness.start([signer], undefined, { rejectionWindowSeconds: 0 });
  expect((await h.send(signer.sign('ping'))).reply.status).toBe('ok'); // a counter to keep
});
afterAll(() => h.stop());

it('malformed JSON is refused as malformed, without a command id', async () => {
  const before = h.snapshot();
  const received = await h.send('{"id": "x", "name": "ping"', { topicName: 'ping' });
  h.expectOnlyRejection(before, received, 'malformed', null);
  expect(received.reply).toMatchObject({ name: null });
});

it('an unknown command name is refused as unknown_command', async () => {
  const before = h.snapshot();
  const command = signer.sign('open_sesame' as CommandName);
  const received = await h.send(command);
  h.expectOnlyRejection(before, received, 'unknown_command', command.id);
  expect(received.reply).toMatchObject({ name: 'open_sesame' });
});

it('arguments that do not fit the command are refused as invalid_args', async () => {
  const before = h.snapshot();
  const command = signer.sign('release', { slot: 13, holderId: 1 }); // a 12-slot cabinet
  const received = await h.send(command);
  h.expectOnlyRejection(before, received, 'invalid_args', command.id);
  expect(received.reply).toMatchObject({ message: 'slot: must be an integer from 1 to 12' });
});

it('garbage and oversized payloads are refused, and the daemon keeps answering', async () => {
  const before = h.snapshot();
  const garbage = await h.send(Buffer.from([0xff, 0x00, 0xfe]), { topicName: 'release' });
  expect(garbage.reply).toMatchObject({ status: 'rejected', reason: 'malformed' });
  const huge = await h.send(Buffer.alloc(70_000, 0x20), { topicName: 'ping' });
  expect(huge.reply).toMatchObject({ status: 'rejected', reason: 'malformed' });
  expect(h.eventsSince(before.lastSeq).map((e) => e.type)).toEqual([
    'command.rejected',
    'command.rejected',
  ]);
  expect((await h.send(signer.sign('ping'))).reply.status).toBe('ok');
});

it('a command nested 100,000 deep is refused as malformed, and the daemon keeps answering', async () => {
  const before = h.snapshot();
  const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
  const command = signer.sign('sync', { placeholder: true });
  const payload = JSON.stringify(command).replace('{"placeholder":true}', `{"x":${deep}}`);
  const received = await h.send(payload, { topicName: 'sync' });
  h.expectOnlyRejection(before, received, 'malformed', command.id);
  expect(received.reply).toMatchObject({
    message: expect.stringMatching(/nested deeper than 32 levels/) as unknown,
  });
  expect((await h.send(signer.sign('ping'))).reply.status).toBe('ok');
});
