import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DaemonProcess, simPost, writeCabinetFiles } from '../support/daemon-process.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { seedCabinet } from '../support/seed.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The simulated profile's tamper, power-fail and emergency contacts, toggled over the
 * simulator's HTTP interface of a running daemon: each reaches the flow through the GPIO layer
 * (the power-fail contact is active low in hardware/sim.json; the simulator drives logical levels).
 */
const CABINET = 'inputs-cab';
let broker: Broker;
let daemon: DaemonProcess;
let database: string;

interface Snapshot {
  door: { unlocked: boolean };
  indicators: { red: boolean; buzzer: boolean };
  slots: Array<{ solenoid: boolean }>;
}

beforeAll(async () => {
  broker = await startMosquitto();
  const files = writeCabinetFiles({
    cabinetId: CABINET,
    brokerUrl: broker.url,
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  database = files.database;
  seedCabinet(database, CABINET);
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  await broker?.stop();
});

function events(): Array<{ type: string; data: Record<string, unknown> }> {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    return (
      db.prepare('SELECT payload FROM events ORDER BY seq').all() as Array<{ payload: string }>
    ).map((r) => JSON.parse(r.payload) as { type: string; data: Record<string, unknown> });
  } finally {
    db.close();
  }
}
const after = (type: string) => {
  const all = events();
  const start = all.findIndex((e) => e.type === 'cabinet.started');
  return all.slice(start + 1).filter((e) => e.type === type || type === '*');
};
const input = (name: string, active: boolean) =>
  simPost(daemon.simUrl(), `/inputs/${name}`, { active }) as Promise<Snapshot>;

it('the tamper switch raises cabinet.tamper, sounds the alarm, and clears when it returns', async () => {
  const state = await input('tamper', true);
  await waitFor(() => after('cabinet.tamper').length === 1, 'cabinet.tamper');
  expect(state.indicators).toMatchObject({ red: true, buzzer: true });
  await input('tamper', false);
  await waitFor(() => after('alarm.cleared').length === 1, 'alarm.cleared');
  expect(after('alarm.cleared')[0]?.data).toMatchObject({ alarm: 'cabinet.tamper' });
});

it('the power-fail input (active low) raises power.failed and power.restored', async () => {
  await input('powerFail', true);
  await waitFor(() => after('power.failed').length === 1, 'power.failed');
  await input('powerFail', false);
  await waitFor(() => after('power.restored').length === 1, 'power.restored');
  expect(after('alarm.cleared').map((e) => e.data.alarm)).toEqual([
    'cabinet.tamper',
    'power.failed',
  ]);
});

it('the emergency input releases what the profile says (door only), until it ends', async () => {
  const during = await input('emergency', true);
  await waitFor(() => after('emergency.started').length === 1, 'emergency.started');
  expect(after('emergency.started')[0]?.data).toEqual({ source: 'input', releases: 'door' });
  expect(during.door.unlocked).toBe(true);
  expect(during.slots.filter((s) => s.solenoid)).toEqual([]);
  const ended = await input('emergency', false);
  await waitFor(() => after('emergency.ended').length === 1, 'emergency.ended');
  expect(ended.door.unlocked).toBe(false);
  expect(daemon.exitCode).toBeNull();
});
