import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { BURST } from '../../src/daemon/services/cabinet-screen.js';
import { DEMO_CARDS } from '../../src/daemon/demo-data.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import type { ScreenView } from '../../src/domain/screen/screen-view.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { hashPin } from '../../src/store/pin-hash.js';
import { freePort } from '../support/ports.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The cabinet screen's feed in the running demo daemon, in pick-the-keys mode: Alice (keys 1-6)
 * types her PIN (1234) on the screen and picks her keys there; Bob (keys 5-10) badges with his
 * card alone. What someone at the screen, or a local process posting to it, cannot do.
 */
let daemon: Daemon;
let database: string;
const CHEAP = { N: 1024, r: 8, p: 1 };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-screen-'));
  database = join(dir, 'cabinet.db');
  daemon = new Daemon({
    config: testConfig({
      cabinetId: 'screen-cab',
      database,
      mqtt: { url: `mqtt://127.0.0.1:${await freePort()}`, reconnectMs: 60_000 },
      sim: { host: '127.0.0.1', port: 0 },
      readers: { badgeQuietMs: 0 },
      cabinet: { pickKeysOnScreen: true },
    }),
    profile: loadProfile('sim', hardwareDir()),
    logger: silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
    demo: true,
    tickMs: 20,
  });
  await daemon.start();
  const db = new BetterSqlite3(database);
  db.prepare('UPDATE credentials SET pin_required = 1, pin_hash = ? WHERE card = ?').run(
    await hashPin('1234', CHEAP),
    DEMO_CARDS.alice,
  );
  db.close();
});

afterAll(() => daemon?.stop());

/** Each test starts with the screen's whole input budget: a person, not the test before. */
beforeEach(async () => {
  await waitFor(() => daemon.screen.budget() >= BURST, 'the input budget to refill');
});

const events = (): RecordedEvent[] => daemon.eventLog.recent(1_000);
const view = (): ScreenView => daemon.screen.view();
const energised = () => daemon.sim!.snapshot().slots.flatMap((s) => (s.solenoid ? [s.slot] : []));

async function endSession(): Promise<void> {
  if (daemon.runner.current.session) {
    daemon.runner.handle({ kind: 'door', open: true });
    daemon.runner.handle({ kind: 'door', open: false });
  }
  await waitFor(() => view().stage === 'idle' || view().stage === 'refused', 'the screen to idle');
}

async function aliceIn(): Promise<void> {
  daemon.sim!.badge(DEMO_CARDS.alice);
  await waitFor(() => view().stage === 'pin', 'the PIN prompt');
  for (const digit of '1234')
    expect(await daemon.screen.input({ kind: 'digit', digit })).toBe('accepted');
  expect(await daemon.screen.input({ kind: 'submit' })).toBe('accepted');
  await waitFor(() => view().stage === 'session', 'the session');
}

it('the PIN typed on the screen is counted, never shown, and grants; keys are offered', async () => {
  daemon.sim!.badge(DEMO_CARDS.alice);
  await waitFor(() => view().stage === 'pin', 'the PIN prompt');
  expect(view()).toMatchObject({ holderName: 'Alice Example', prompt: { kind: 'pin', typed: 0 } });
  await daemon.screen.input({ kind: 'digit', digit: '1' });
  await daemon.screen.input({ kind: 'digit', digit: '2' });
  expect(view().prompt).toMatchObject({ kind: 'pin', typed: 2 });
  await daemon.screen.input({ kind: 'clear' });
  expect(view().prompt).toMatchObject({ typed: 0 });
  for (const digit of '1234') await daemon.screen.input({ kind: 'digit', digit });
  expect(JSON.stringify(view())).not.toContain('1234');
  await daemon.screen.input({ kind: 'submit' });
  await waitFor(() => view().stage === 'session', 'the session');
  expect(view().slots.map((s) => [s.slot, s.kind])).toEqual(
    [1, 2, 3, 4, 5, 6].map((slot) => [slot, 'offered']),
  );
  expect(energised()).toEqual([]);
  expect(await daemon.screen.input({ kind: 'pick', slots: [2, 4] })).toBe('accepted');
  await waitFor(() => energised().length === 2, 'the picked slots to release');
  expect(energised()).toEqual([2, 4]);
  await endSession();
});

it('attack: a pick beyond the grant releases nothing and is recorded', async () => {
  await aliceIn();
  const before = events().length;
  // Bob's key, a slot that does not exist, Alice's key with Bob's: refused whole.
  for (const slots of [[7], [99], [1, 7], [-1]]) {
    expect(await daemon.screen.input({ kind: 'pick', slots })).toBe('accepted');
  }
  expect(energised()).toEqual([]);
  const refused = events().slice(before);
  expect(refused).toMatchObject(
    [[7], [99], [1, 7], [-1]].map((slots) => ({
      type: 'access.denied',
      data: { reason: 'pick_refused', holderId: 1, slots },
    })),
  );
  // Malformed picks do not even reach the cabinet.
  for (const slots of [[], [1.5], [Number.NaN], Array.from({ length: 13 }, () => 1)]) {
    expect(await daemon.screen.input({ kind: 'pick', slots })).toBe('invalid');
  }
  await endSession();
});

it('attack: with nobody at the cabinet, the screen can open nothing and read nothing', async () => {
  await endSession();
  const before = events().length;
  const answers = [
    await daemon.screen.input({ kind: 'pick', slots: [1] }),
    await daemon.screen.input({ kind: 'digit', digit: '1' }),
    await daemon.screen.input({ kind: 'submit' }),
    await daemon.screen.input({ kind: 'reason', code: '1' }),
    await daemon.screen.input({ kind: 'cancel' }),
  ];
  expect(answers).toEqual(Array(5).fill('not_awaited'));
  expect(events().length).toBe(before);
  expect(energised()).toEqual([]);
  expect(daemon.sim!.snapshot().door.unlocked).toBe(false);
  await waitFor(() => view().stage === 'idle', 'the idle screen');
  const shown = JSON.stringify(view());
  for (const name of ['Alice', 'Bob', 'Carol', 'K-0']) expect(shown).not.toContain(name);
});

it('attack: Bob at the cabinet sees only his own session, never Alice’s keys out', async () => {
  // Alice has a key out.
  await aliceIn();
  await daemon.screen.input({ kind: 'pick', slots: [1] });
  await waitFor(() => energised().includes(1), 'slot 1 to release');
  daemon.sim!.openDoor();
  daemon.sim!.take(1);
  daemon.sim!.closeDoor();
  await waitFor(() => events().some((e) => e.type === 'key.checked_out'), 'the check-out');
  await endSession();
  daemon.sim!.badge(DEMO_CARDS.bob);
  await waitFor(() => view().holderName === 'Bob Example', 'Bob’s session');
  const shown = JSON.stringify(view());
  expect(shown).not.toContain('Alice');
  expect(shown).not.toContain('K-01');
  expect(view().keysOut).toEqual([]);
  await endSession();
});

it('attack: a flood of inputs is answered busy after a burst, and records nothing', async () => {
  await endSession();
  const before = events().length;
  const answers: string[] = [];
  for (let i = 0; i < 500; i++) answers.push(await daemon.screen.input({ kind: 'cancel' }));
  expect(answers.filter((a) => a !== 'busy').length).toBeLessThanOrEqual(25);
  expect(answers.at(-1)).toBe('busy');
  expect(events().length).toBe(before);
});

it('bad input is refused by name: a digit that is not one, a reason code that is not digits', async () => {
  await waitFor(
    async () => (await daemon.screen.input({ kind: 'digit', digit: 'x' })) === 'invalid',
    'the rate limit to refill',
  );
  expect(await daemon.screen.input({ kind: 'digit', digit: '12' })).toBe('invalid');
  expect(await daemon.screen.input({ kind: 'reason', code: '1; DROP' })).toBe('invalid');
});

it('attack: a PIN guessed on the screen is a wrong PIN like the keypad’s, and digits do not outlive their entry', async () => {
  await endSession();
  daemon.sim!.badge(DEMO_CARDS.alice);
  await waitFor(() => view().stage === 'pin', 'the PIN prompt');
  for (const digit of '12') await daemon.screen.input({ kind: 'digit', digit });
  // Someone else badges: the digits typed for Alice's entry are gone, not prefixed to Bob's.
  daemon.sim!.badge(DEMO_CARDS.bob);
  await waitFor(() => view().holderName === 'Bob Example', 'Bob’s session');
  await endSession();
  daemon.sim!.badge(DEMO_CARDS.alice);
  await waitFor(() => view().stage === 'pin', 'the PIN prompt');
  expect(view().prompt).toMatchObject({ typed: 0 });
  const before = events().length;
  for (const digit of '0000') await daemon.screen.input({ kind: 'digit', digit });
  await daemon.screen.input({ kind: 'submit' });
  await waitFor(() => events().length > before, 'the refusal');
  expect(events().slice(before)[0]).toMatchObject({
    type: 'access.denied',
    data: { reason: 'wrong_pin', holderId: 1 },
  });
  expect(energised()).toEqual([]);
  // The entry is over: a second guess has nothing to answer.
  await daemon.screen.input({ kind: 'digit', digit: '1' });
  expect(await daemon.screen.input({ kind: 'submit' })).toBe('not_awaited');
});
