import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BASE, CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';
import { waitFor } from '../support/wait-for.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
});
afterAll(() => h.stop());

it('replay sends every event from the requested seq again, in order', async () => {
  for (let i = 0; i < 3; i++) await h.send(signer.sign('ping'));
  await waitFor(() => h.daemon.eventLog.depth() === 0, 'outbox drained');
  const listener = await mqtt.connectAsync(h.broker.url, { protocolVersion: 5 });
  const seen: number[] = [];
  listener.on('message', (_t, payload) =>
    seen.push((JSON.parse(String(payload)) as { seq: number }).seq),
  );
  await listener.subscribeAsync(`${BASE}/event/#`, { qos: 1 });

  const { reply } = await h.send(signer.sign('replay', { fromSeq: 3 }));
  const lastSeq = h.daemon.eventLog.lastSeq();
  expect(reply).toMatchObject({
    status: 'ok',
    result: { fromSeq: 3, firstAvailable: 1, lastSeq, requeued: lastSeq - 2, complete: true },
  });
  const expected = Array.from({ length: lastSeq - 2 }, (_, i) => i + 3);
  await waitFor(() => seen.length >= expected.length, 'the replayed events');
  expect(seen).toEqual(expected);
  await listener.endAsync(true);
});

it('a replay from before the first event still held says the pruned ones cannot be sent', async () => {
  // The server acknowledged up to 4 and the retention passed: 1 to 4 are pruned.
  expect(h.daemon.eventLog.acknowledge(4)).toBe('acknowledged');
  expect(h.daemon.eventLog.prune(Date.now() + 60_000)).toBe(4);
  const { reply } = await h.send(signer.sign('replay', { fromSeq: 2 }));
  expect(reply).toMatchObject({
    status: 'ok',
    result: {
      fromSeq: 2,
      firstAvailable: 5,
      complete: false,
      note: 'events 2 to 4 were pruned after the server acknowledged them and cannot be replayed',
    },
  });
});
