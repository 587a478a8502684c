import { afterAll, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { MqttLink } from '../../src/mqtt/mqtt-link.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

let broker: Broker | undefined;
afterAll(async () => {
  await broker?.kill();
});

it('the daemon’s link stops in bounded time when the broker hangs: its own stop, not systemd’s SIGKILL', async () => {
  broker = await startMosquitto();
  const log = new EventLog(openDatabase(':memory:'), 'test-cab', new FakeClock());
  const config = testConfig({ mqtt: { url: broker.url, reconnectMs: 100 } });
  const link = new MqttLink(config, log, silentLogger(), {
    version: '9.9.9',
    startedAt: '2026-11-24T09:00:00.000Z',
  });
  await waitFor(() => link.client.connected, 'the link to connect');
  // Still connected as far as the link can tell, but nothing is confirmed any more: the
  // offline status it publishes on the way out would be waited for without limit.
  broker.freeze();
  await link.stop(100, 500);
  expect(link.client.disconnected).toBe(true);
});
