import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { MAX_SYNC_BYTES } from '../../src/contract/command-size.js';
import { CommandHarness, type Received } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

/**
 * Issue 11, finding 2: a 30 MiB unsigned `sync` was parsed (and its nesting walked) before the
 * cabinet noticed it had no signature: the event loop blocked for seconds per message and
 * memory went from 133 to 695 MB. Now a payload larger than any other command is scanned for
 * its envelope first, and one that is unsigned, for another cabinet, signed with an unknown key
 * or out of its validity window is refused before JSON.parse sees it. The daemon runs in this
 * process (over a real Mosquitto), so the test watches JSON.parse itself.
 */
const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer], undefined, { rejectionWindowSeconds: 0 });
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => h.stop());

/** A sync of about 30 MiB: many holders, the envelope fields after them. */
function hugeSync(overrides: Record<string, unknown>): { text: string; id: string } {
  const holder = JSON.stringify({ id: 1, name: 'x'.repeat(200), enabled: true });
  const count = Math.floor((30 * 1024 * 1024) / (holder.length + 1));
  const holders = `[${Array.from({ length: count }, () => holder).join(',')}]`;
  const { signature: _none, args: _args, ...envelope } = signer.sign('sync');
  const tail = JSON.stringify({ ...envelope, ...overrides }).slice(1);
  const text = `{"args":{"version":2,"holders":${holders},"credentials":[],"keys":[],"permissions":[]},${tail}`;
  expect(text.length).toBeLessThan(MAX_SYNC_BYTES);
  return { text, id: envelope.id };
}

/**
 * Sends `payload` on cmd/sync and returns the reply with the longest text JSON.parse was handed
 * in this process from the moment it was sent (the harness reads the command's id first).
 */
async function sendWatchingParse(
  payload: string,
): Promise<{ received: Received; longest: number }> {
  const sent = h.send(payload, { topicName: 'sync' });
  let longest = 0;
  const parse = JSON.parse.bind(JSON);
  vi.spyOn(JSON, 'parse').mockImplementation(
    (text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
      longest = Math.max(longest, text.length);
      return parse(text, reviver) as unknown;
    },
  );
  const received = await sent;
  return { received, longest };
}

it('a 30 MiB unsigned sync is refused as unsigned without being parsed', async () => {
  const before = h.snapshot();
  const sync = hugeSync({});
  const { received, longest } = await sendWatchingParse(sync.text);
  h.expectOnlyRejection(before, received, 'unsigned', sync.id);
  expect(longest).toBeLessThan(64 * 1024);
});

it('a 30 MiB sync signed with an unknown key or valid for a century is refused without being parsed', async () => {
  const century = { issuedAt: '2000-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' };
  for (const [overrides, reason] of [
    [{ keyId: 'nobody', signature: 'AAAA' }, 'unknown_key'],
    [{ signature: 'AAAA', ...century }, 'malformed'],
  ] as const) {
    const before = h.snapshot();
    const sync = hugeSync(overrides);
    const { received, longest } = await sendWatchingParse(sync.text);
    h.expectOnlyRejection(before, received, reason, sync.id);
    expect(longest).toBeLessThan(64 * 1024);
  }
});
