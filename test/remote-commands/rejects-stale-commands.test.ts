import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
  expect((await h.send(signer.sign('ping'))).reply.status).toBe('ok');
});
afterAll(() => h.stop());

const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

it('a command past its expiry is refused as expired', async () => {
  const before = h.snapshot();
  const command = signer.sign(
    'emergency_release',
    {},
    {
      issuedAt: at(-120_000),
      expiresAt: at(-60_000),
    },
  );
  h.expectOnlyRejection(before, await h.send(command), 'expired', command.id);
});

it('a command issued further ahead than maxSkewSeconds (300 s) is refused as not_yet_valid', async () => {
  const before = h.snapshot();
  const command = signer.sign(
    'emergency_release',
    {},
    {
      issuedAt: at(600_000),
      expiresAt: at(660_000),
    },
  );
  h.expectOnlyRejection(before, await h.send(command), 'not_yet_valid', command.id);
});
