import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

/**
 * Issue 11, finding 3: a signed command had no longest validity. A `ping` issued 2000-01-01 and
 * expiring in 2099 was accepted: once captured, such a command works for a century wherever its
 * counter still beats the cabinet's. Now `expiresAt − issuedAt` is at most
 * `commands.maxValiditySeconds` (600 s by default), so an `issuedAt` older than that has expired.
 */
const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  // One event per refusal, to see each (refusals of a kind are otherwise summed up per window).
  h = await CommandHarness.start([signer], undefined, { rejectionWindowSeconds: 0 });
});
afterAll(() => h.stop());

const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

it('a signed ping issued in 2000 and expiring in 2099 is refused: valid longer than the cabinet allows', async () => {
  const before = h.snapshot();
  const century = signer.sign(
    'ping',
    {},
    { issuedAt: '2000-01-01T00:00:00Z', expiresAt: '2099-12-31T00:00:00Z' },
  );
  const received = await h.send(century);
  h.expectOnlyRejection(before, received, 'malformed', century.id);
  expect(received.reply.status === 'rejected' && received.reply.message).toMatch(
    /longer than this cabinet's commands\.maxValiditySeconds \(600 s\)/,
  );
});

it('a signed ping issued eleven minutes ago, still before its expiry, is refused', async () => {
  const before = h.snapshot();
  const stale = signer.sign('ping', {}, { issuedAt: at(-660_000), expiresAt: at(60_000) });
  h.expectOnlyRejection(before, await h.send(stale), 'malformed', stale.id);
});

it('a signed ping issued ten minutes ago with the longest window has expired', async () => {
  const before = h.snapshot();
  // One reading of the clock: the window is exactly the longest allowed, 600 s.
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const old = signer.sign(
    'ping',
    {},
    { issuedAt: iso(now - 601_000), expiresAt: iso(now - 1_000) },
  );
  h.expectOnlyRejection(before, await h.send(old), 'expired', old.id);
});

it('a signed ping within the window is still accepted', async () => {
  const fresh = signer.sign('ping', {}, { issuedAt: at(-1_000), expiresAt: at(120_000) });
  expect((await h.send(fresh)).reply).toMatchObject({ status: 'ok', commandId: fresh.id });
});
