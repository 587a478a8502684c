import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const current = new TestSigner('central-2026');
const next = new TestSigner('central-2027');
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([current, next]);
});
afterAll(() => h.stop());

it('with two keys configured, both are accepted, each with its own counter', async () => {
  current.counter = 500;
  expect((await h.send(current.sign('ping'))).reply.status).toBe('ok');
  // The new key starts low: its counter is its own, not the old key's.
  expect((await h.send(next.sign('ping'))).reply.status).toBe('ok');
  expect((await h.send(next.sign('ping'))).reply.status).toBe('ok');
  expect((await h.send(current.sign('ping'))).reply.status).toBe('ok');
  expect(h.snapshot().counters).toMatchObject([
    { key_id: 'central-2026', counter: 502 },
    { key_id: 'central-2027', counter: 2 },
  ]);
  const accepted = h.daemon.eventLog
    .recent(20)
    .filter((e) => e.type === 'command.accepted')
    .map((e) => e.data);
  expect(accepted).toMatchObject([
    { keyId: 'central-2026', counter: 501 },
    { keyId: 'central-2027', counter: 1 },
    { keyId: 'central-2027', counter: 2 },
    { keyId: 'central-2026', counter: 502 },
  ]);
});
