import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BASE, CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

/**
 * Issue 11, finding 6: the MQTT 5 response topic is a packet property nobody signs, and it was
 * honoured outside the Keywarden prefix: an unauthenticated message made the cabinet publish
 * its reply to `home/garage/door/set`, under the cabinet's own broker identity. Now only this
 * cabinet's reply topic and the topics below it are used; anything else gets the default.
 */
const signer = new TestSigner();
let h: CommandHarness;
let spy: MqttClient;
const elsewhere: string[] = [];

beforeAll(async () => {
  h = await CommandHarness.start([signer]);
  spy = await mqtt.connectAsync(h.broker.url, { protocolVersion: 5, clientId: 'spy' });
  spy.on('message', (topic) => elsewhere.push(topic));
  await spy.subscribeAsync(['home/#', 'central/#', 'keywarden/v1/other-cab/#'], { qos: 1 });
});
afterAll(async () => {
  await spy.endAsync(true);
  await h.stop();
});

it('an unsigned message cannot make the cabinet publish to home/garage/door/set', async () => {
  const { signature: _none, ...unsigned } = signer.sign('ping');
  const received = await h.send(unsigned, {
    responseTopic: 'home/garage/door/set',
    correlationData: Buffer.from('ON'),
  });
  expect(received.topic).toBe(`${BASE}/reply`);
  expect(received.reply).toMatchObject({ status: 'rejected', reason: 'unsigned' });
  expect(received.packet.properties?.correlationData).toBeUndefined();
  // A command gets one reply: the one on the default topic is it (and the spy saw nothing).
  expect(elsewhere).toEqual([]);
});

it("neither a signed command's reply goes outside the cabinet's reply topic", async () => {
  for (const responseTopic of ['central/replies/worker-1', 'keywarden/v1/other-cab/reply']) {
    const received = await h.send(signer.sign('ping'), { responseTopic });
    expect(received.topic).toBe(`${BASE}/reply`);
    expect(received.reply.status).toBe('ok');
  }
  const below = await h.send(signer.sign('ping'), { responseTopic: `${BASE}/reply/worker-1` });
  expect(below.topic).toBe(`${BASE}/reply/worker-1`);
  expect(elsewhere).toEqual([]);
});
