import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/domain/events.js';
import type { SimSnapshot } from '../../src/sim/sim-cabinet.js';
import type { SimStateFile } from '../../src/sim/sim-state-file.js';
import { DaemonProcess, simPost, writeCabinetFiles } from '../support/daemon-process.js';
import { recordFaultOutcome } from '../support/fault-summary.js';
import { ALICE, seedCabinet } from '../support/seed.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The daemon SIGKILLed in the middle of a session (badge accepted, slots 1 and 2 released,
 * K-2 already taken), and keys moved while it is down: K-1 leaves through the slot the dead
 * daemon left released, K-2 comes back. The simulated cabinet keeps its fobs in a state file
 * (config `sim.stateFile`), as a real cabinet keeps its keys through a crash; editing that file
 * while the daemon is down is the honest way to move a key nobody is watching (the simulator
 * lives in the daemon's process and dies with it). After the restart every output is off, K-1
 * is `key.missing` (an alarm: no check-out was recorded) and K-2's loan is closed.
 */

const K1 = 'A000000001';
const K2 = 'A000000002';

let daemon: DaemonProcess;
let files: ReturnType<typeof writeCabinetFiles>;
let stateFile: string;

beforeAll(async () => {
  files = writeCabinetFiles({
    cabinetId: 'restart-cab',
    brokerUrl: 'mqtt://127.0.0.1:9', // no broker needed: the events are read from the database
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  stateFile = join(files.dir, 'sim-state.json');
  const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as { sim: object };
  config.sim = { ...config.sim, stateFile };
  writeFileSync(files.configFile, JSON.stringify(config));
  seedCabinet(files.database, 'restart-cab');
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
}, 30_000);

afterAll(async () => {
  await daemon?.stop();
});

function eventsAfter(seq: number): RecordedEvent[] {
  const db = new BetterSqlite3(files.database, { readonly: true });
  try {
    return (
      db.prepare('SELECT payload FROM events WHERE seq > ? ORDER BY seq').all(seq) as Array<{
        payload: string;
      }>
    ).map((row) => JSON.parse(row.payload) as RecordedEvent);
  } finally {
    db.close();
  }
}
const lastSeq = () => eventsAfter(0).at(-1)?.seq ?? 0;
const state = async (url: string) =>
  (await (await fetch(new URL('/state', url))).json()) as SimSnapshot;

it('after a SIGKILL mid-session every slot is locked and the keys moved meanwhile are reconciled', async () => {
  let sim = daemon.simUrl();
  await simPost(sim, '/badge', { card: ALICE });
  await waitFor(() => eventsAfter(0).some((e) => e.type === 'access.granted'), 'access.granted');
  await simPost(sim, '/door', { action: 'open' });
  await simPost(sim, '/slots/2/take');
  await waitFor(() => eventsAfter(0).some((e) => e.type === 'key.checked_out'), 'checked out');
  const before = await state(sim);
  // Slot 1 still released (slot 2 relocked as its key left): the crash window.
  expect(before.slots.filter((s) => s.solenoid).map((s) => s.slot)).toEqual([1]);

  await daemon.stop('SIGKILL');
  const killedAt = lastSeq();
  // While it is down: K-1 taken through the slot left released, K-2 brought back.
  const physical = JSON.parse(readFileSync(stateFile, 'utf8')) as SimStateFile;
  expect(physical.slots).toEqual({ '1': K1 }); // the file followed the take of K-2
  writeFileSync(stateFile, JSON.stringify({ slots: { '2': K2 } }));

  await daemon.start(); // resolves once the start reconciliation has run ('cabinet ready')
  sim = daemon.simUrl();
  // Outputs off before anything else happened, and still off: no session survives a restart.
  const claimed = daemon.logs.findIndex((l) => l.msg === 'outputs claimed and off');
  expect(claimed).toBeGreaterThanOrEqual(0);
  expect(daemon.logs.slice(0, claimed).filter((l) => l.level >= 40)).toEqual([]);
  const after = await state(sim);
  expect(after.slots.filter((s) => s.solenoid)).toEqual([]);
  expect(after.door.unlocked).toBe(false);

  const events = eventsAfter(killedAt);
  const of = (type: string) => events.filter((e) => e.type === type);
  expect(of('key.missing').map((e) => e.data)).toEqual([{ keyId: 1, keyLabel: 'K-1', slot: 1 }]);
  // K-2's fob reported at home at start closes its loan (a return with no session).
  expect(of('key.checked_in').map((e) => e.data)).toEqual([
    expect.objectContaining({ keyId: 2, slot: 2, returnedBy: null }),
  ]);
  expect(of('key.checked_out')).toEqual([]); // nobody is credited with K-1
  expect(of('access.granted')).toEqual([]);
  const db = new BetterSqlite3(files.database, { readonly: true });
  const open = db.prepare('SELECT key_id FROM loans WHERE returned_at IS NULL').all();
  db.close();
  expect(open).toEqual([]);

  recordFaultOutcome({
    scenario: 'restart-mid-session',
    injections: 3, // the kill, a key taken and a key returned while down
    eventsChecked: events.length,
    eventsLost: 0,
    keysWronglyReleased: after.slots.filter((s) => s.solenoid).length,
    crashes: 0,
  });
}, 60_000);
