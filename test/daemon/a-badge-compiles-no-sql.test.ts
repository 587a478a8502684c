import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { DEMO_CARDS } from '../../src/daemon/demo-data.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { useTempDb } from '../support/temp-db.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

/**
 * better-sqlite3 compiles SQL again at every prepare(), which costs more than the small
 * indexed queries a badge runs: the daemon's per-input paths (the badge, the enrolment check
 * before it, the check-out and check-in projections, the retained inventory after each
 * change) must run statements compiled once. Real broker, so the inventory is published.
 */
const temp = useTempDb();
let broker: Broker;
let daemon: Daemon;

beforeAll(async () => {
  broker = await startMosquitto();
  const { file, db } = temp.open();
  db.close();
  daemon = new Daemon({
    config: testConfig({
      database: file,
      mqtt: { url: broker.url, reconnectMs: 300 },
      sim: { host: '127.0.0.1', port: 0 },
      readers: { badgeQuietMs: 20 },
    }),
    profile: loadProfile('sim', hardwareDir()),
    logger: silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
    demo: true,
  });
  await daemon.start();
  await waitFor(() => daemon.mqtt.connected, 'the daemon to connect to Mosquitto');
});

afterAll(async () => {
  await daemon?.stop();
  await broker?.stop();
});

const recorded = (type: string, afterSeq: number): boolean =>
  daemon.eventLog.recent(20).some((e) => e.type === type && e.seq > afterSeq);

/** Alice badges, takes the key of slot 1, puts it back and closes the door. */
async function visit(): Promise<void> {
  const sim = daemon.sim!;
  const from = daemon.eventLog.lastSeq();
  sim.badge(DEMO_CARDS.alice);
  await waitFor(() => recorded('access.granted', from), "Alice's grant");
  await waitFor(() => daemon.runner.current.session !== null, 'the session');
  sim.openDoor();
  sim.take(1);
  await waitFor(() => recorded('key.checked_out', from), 'the check-out');
  sim.insert(1);
  await waitFor(() => recorded('key.checked_in', from), 'the check-in');
  sim.closeDoor();
  await waitFor(() => daemon.runner.current.session === null, 'the session to end');
  await waitFor(() => daemon.eventLog.depth() === 0, 'the events to be published');
}

it('a badge, a check-out and a check-in compile no SQL once the daemon has run them once', async () => {
  await visit();
  // The console's event filters are filled a second after events are recorded, with statements
  // of their own compiled at the first fill: let it happen before counting, or it lands in the
  // second visit whenever the first took less than that second.
  await waitFor(() => !daemon.eventLog.searchFiltersBehind(), 'the event filters to be filled');
  const prepare = vi.spyOn(BetterSqlite3.prototype, 'prepare');
  try {
    await visit();
    expect(prepare.mock.calls.map(([sql]) => String(sql).replace(/\s+/g, ' ').trim())).toEqual([]);
  } finally {
    prepare.mockRestore();
  }
});
