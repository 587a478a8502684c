import { expect, it } from 'vitest';
import { FaultRig } from './fault-rig.js';
import { waitFor } from './wait-for.js';

it('stops even when the consumer holds a QoS 1 publish the broker will never acknowledge', async () => {
  const rig = await FaultRig.start();
  await rig.broker.kill();
  await waitFor(() => !rig.monitor.client.connected, 'the consumer to see the broker gone');
  // Queued for a broker that is not coming back: a graceful MQTT.js end waits for it forever.
  rig.monitor.client.publish('keywarden/v1/fault-cab/ack', JSON.stringify({ seq: 1 }), { qos: 1 });
  expect(Object.keys(rig.monitor.client.outgoing).length).toBeGreaterThan(0);

  await expect(rig.stop()).resolves.toBeUndefined();
  // Ended: MQTT.js does not reconnect a client that is disconnecting.
  expect(rig.monitor.client.disconnecting).toBe(true);
}, 60_000);
