import { afterAll, expect, it } from 'vitest';
import { FleetMonitor } from '../../src/reference-server/fleet-monitor.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { waitFor } from '../support/wait-for.js';

let broker: Broker | undefined;
afterAll(async () => {
  await broker?.stop();
});

it('a monitor whose broker was killed stops, dropping an acknowledgement that can never be confirmed', async () => {
  broker = await startMosquitto();
  const monitor = new FleetMonitor({ url: broker.url, mqtt: { reconnectPeriod: 100 } });
  await monitor.ready();
  await broker.kill();
  await waitFor(() => !monitor.client.connected, 'the monitor to see the broker gone');
  // An acknowledgement sent while the broker is gone waits for a confirmation that never comes:
  // MQTT.js's graceful end would wait for it without limit (the `keywarden monitor` Ctrl-C hang).
  const ack = monitor.client.publishAsync(`${monitor.prefix}/cab/ack`, '{"seq":1}', { qos: 1 });
  ack.catch(() => undefined);
  expect(Object.keys(monitor.client.outgoing)).toHaveLength(1);
  await monitor.stop(1_000);
  expect(monitor.client.disconnected).toBe(true);
});
