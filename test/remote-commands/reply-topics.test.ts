import { afterAll, beforeAll, expect, it } from 'vitest';
import { BASE, CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
});
afterAll(() => h.stop());

it('a reply goes to the MQTT 5 response topic with the correlation data, and expires', async () => {
  const command = signer.sign('ping');
  const correlationData = Buffer.from('req-42');
  const { topic, reply, packet } = await h.send(command, {
    responseTopic: `${BASE}/reply/worker-1`,
    correlationData,
  });
  expect(topic).toBe(`${BASE}/reply/worker-1`);
  expect(reply).toMatchObject({ commandId: command.id, name: 'ping', status: 'ok' });
  expect(packet.properties?.correlationData).toEqual(correlationData);
  expect(packet.qos).toBe(1);
  expect(packet.properties?.messageExpiryInterval).toBeGreaterThan(0);
});

it('without a response topic the reply goes to <prefix>/<cabinetId>/reply', async () => {
  const command = signer.sign('ping');
  const { topic, reply, packet } = await h.send(command);
  expect(topic).toBe(`${BASE}/reply`);
  expect(reply.commandId).toBe(command.id);
  expect(packet.properties?.correlationData).toBeUndefined();
});

it("a response topic among the cabinet's other topics is not written to: the default is used", async () => {
  const command = signer.sign('ping');
  const { topic } = await h.send(command, { responseTopic: `${BASE}/event/door.forced` });
  expect(topic).toBe(`${BASE}/reply`);
});
