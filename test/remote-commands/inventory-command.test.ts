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

it('inventory publishes the retained inventory again, unchanged or not', async () => {
  const listener = await mqtt.connectAsync(h.broker.url, { protocolVersion: 5 });
  const seen: Array<{ retain: boolean; cabinetId: string }> = [];
  listener.on('message', (_t, payload, packet) =>
    seen.push({ retain: packet.retain, ...(JSON.parse(String(payload)) as { cabinetId: string }) }),
  );
  await listener.subscribeAsync(`${BASE}/inventory`, { qos: 1 });
  await waitFor(() => seen.length === 1, 'the retained inventory on subscribing');

  const { reply } = await h.send(signer.sign('inventory'));
  expect(reply).toMatchObject({ status: 'ok', result: { topic: `${BASE}/inventory` } });
  await waitFor(() => seen.length === 2, 'the inventory published again');
  expect(seen[1]).toMatchObject({ cabinetId: 'test-cab' });
  await listener.endAsync(true);
});
