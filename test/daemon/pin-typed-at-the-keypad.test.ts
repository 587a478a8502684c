import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { DEMO_CARDS } from '../../src/daemon/demo-data.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { hashPin } from '../../src/store/pin-hash.js';
import { freePort } from '../support/ports.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The whole PIN path in the running daemon: the simulated keypad's entry, the slow hash
 * checked in the shell, the outcome handed to the flow. Alice's credential requires a PIN
 * (1234; duress 9999). No broker: the events wait in the outbox, where the test reads them.
 */
let daemon: Daemon;
const CHEAP = { N: 1024, r: 8, p: 1 };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-keypad-'));
  const database = join(dir, 'cabinet.db');
  const settings = {
    cabinetId: 'keypad-cab',
    database,
    mqtt: { url: `mqtt://127.0.0.1:${await freePort()}`, reconnectMs: 60_000 },
    sim: { host: '127.0.0.1', port: 0 },
    // Alice badges once per test: with no quiet time, each badge is a new presentation.
    readers: { badgeQuietMs: 0 },
  };
  daemon = new Daemon({
    config: testConfig(settings),
    profile: loadProfile('sim', hardwareDir()),
    logger: silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
    demo: true,
    tickMs: 20,
  });
  await daemon.start();
  const db = new BetterSqlite3(database);
  db.prepare(
    'UPDATE credentials SET pin_required = 1, pin_hash = ?, duress_pin_hash = ? WHERE card = ?',
  ).run(await hashPin('1234', CHEAP), await hashPin('9999', CHEAP), DEMO_CARDS.alice);
  db.close();
});

afterAll(() => daemon?.stop());

const events = (): RecordedEvent[] => daemon.eventLog.recent(1_000);
const sim = () => daemon.sim!;

function presentAlice(): void {
  sim().badge(DEMO_CARDS.alice);
}

async function badgeAndType(keys: string): Promise<RecordedEvent[]> {
  const before = events().length;
  presentAlice();
  await waitFor(() => daemon.runner.current.pending?.stage === 'pin', 'the PIN to be asked for');
  sim().keypad(keys);
  await waitFor(() => daemon.runner.current.pending === null, 'the entry to end');
  // A grant's session ends at once (door used and closed) so the next badge starts afresh.
  if (daemon.runner.current.session) {
    daemon.runner.handle({ kind: 'door', open: true });
    daemon.runner.handle({ kind: 'door', open: false });
  }
  return events().slice(before);
}

it('the right PIN grants, and nothing was recorded before it', async () => {
  const recorded = await badgeAndType('1234#');
  expect(recorded[0]).toMatchObject({ type: 'access.granted', data: { holderId: 1 } });
});

it('a wrong PIN is denied', async () => {
  const recorded = await badgeAndType('0000#');
  expect(recorded.map((e) => e.type)).toEqual(['access.denied']);
  expect(recorded[0]?.data).toMatchObject({ reason: 'wrong_pin' });
});

it('the duress PIN grants and raises the silent alarm', async () => {
  const recorded = await badgeAndType('9999#');
  // The wrong PIN of the test before is forgotten: the duress PIN counts as a right one.
  expect(recorded.map((e) => e.type).slice(0, 3)).toEqual([
    'pin.reset',
    'alarm.duress',
    'access.granted',
  ]);
  expect(daemon.runner.current.alarms).toEqual([]);
});

it('the clear key abandons the entry', async () => {
  const before = events().length;
  presentAlice();
  await waitFor(() => daemon.runner.current.pending?.stage === 'pin', 'the PIN to be asked for');
  sim().keypad('*');
  await waitFor(() => daemon.runner.current.pending === null, 'the entry to end');
  expect(events().slice(before)[0]?.data).toMatchObject({ reason: 'entry_cancelled' });
});
