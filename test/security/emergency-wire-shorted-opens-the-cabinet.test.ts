import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile, parseProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { seedCabinet } from '../support/seed.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The fire panel's relay reaches the cabinet over a long cable, and the shipped rpi-8slot
 * profile released the door and every slot on its contact. A short of that cable anywhere
 * along it (a staple, a crushed conduit, two wires bridged on purpose) looked exactly like a
 * fire: every key free to take. Now the shipped profile releases the door only, and a
 * supervised input (a second contact that must agree) turns a shorted wire into a trouble
 * alarm that releases nothing. The daemon runs in-process on simulated GPIO, whose input
 * levels the test sets as the wiring would.
 */
const DISAGREE_MS = 300;
const EMERGENCY = 'input.emergency';
const CONFIRM = 'input.emergency.confirm';

it('the shipped rpi-8slot profile releases the door only on its emergency input', () => {
  const profile = loadProfile('rpi-8slot', hardwareDir());
  expect(profile.inputs.emergency?.releases).toBe('door');
});

describe('a supervised emergency input', () => {
  let daemon: Daemon;
  let gpio: SimGpioDriver;
  let dir: string;
  const logged: string[] = [];
  const events = (): RecordedEvent[] => daemon.eventLog.recent(1_000);
  const energised = () =>
    gpio
      .outputs()
      .filter((o) => o.on && (o.name === 'door.lock' || o.name.endsWith('.solenoid')))
      .map((o) => o.name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keywarden-emergency-'));
    const database = join(dir, 'cabinet.db');
    seedCabinet(database, 'emergency-cab');
    const raw = JSON.parse(readFileSync(join(hardwareDir(), 'sim.json'), 'utf8')) as {
      inputs: { emergency: Record<string, unknown> };
    };
    // A fire panel relay with two contacts on two wires: the first normally open, the second
    // normally closed (so "active" is its opening), as hardware/README.md shows.
    raw.inputs.emergency = {
      pin: 31,
      confirmPin: { bcm: 32, activeLow: true },
      debounceMs: 0,
      disagreeMs: DISAGREE_MS,
      releases: 'door_and_slots',
    };
    gpio = new SimGpioDriver({ logger: silentLogger() });
    daemon = new Daemon({
      config: testConfig({
        cabinetId: 'emergency-cab',
        database,
        mqtt: { url: 'mqtt://127.0.0.1:9', reconnectMs: 60_000, reconnectMaxMs: 60_000 },
        sim: { host: '127.0.0.1', port: 0 },
      }),
      profile: parseProfile(raw, join(dir, 'profile.json')),
      logger: createLogger({
        pretty: false,
        level: 'warn',
        destination: new Writable({
          write(chunk: Buffer, _encoding, done) {
            logged.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
            done();
          },
        }),
      }),
      gpio,
    });
    await daemon.start();
  });

  afterAll(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a short on one wire raises cabinet.tamper after the disagreement time and releases nothing', async () => {
    const since = daemon.eventLog.lastSeq();
    gpio.setInput(EMERGENCY, true); // the first wire shorted: it reads as a closed contact

    await waitFor(
      () => events().some((e) => e.seq > since && e.type === 'cabinet.tamper'),
      'cabinet.tamper',
    );
    const after = events().filter((e) => e.seq > since);
    expect(after.map((e) => e.type)).not.toContain('emergency.started');
    expect(energised()).toEqual([]);
    // The log tells this tamper from the tamper switch's.
    expect(logged.some((m) => m.includes('its two contacts disagree'))).toBe(true);

    gpio.setInput(EMERGENCY, false); // the short removed: the contacts agree again
    await waitFor(
      () =>
        events().some(
          (e) =>
            e.seq > since &&
            e.type === 'alarm.cleared' &&
            (e.data as { alarm: string }).alarm === 'cabinet.tamper',
        ),
      'the trouble cleared',
    );
    expect(
      events()
        .filter((e) => e.seq > since)
        .map((e) => e.type),
    ).not.toContain('emergency.started');
  });

  it('a real alarm, both contacts agreeing, still releases at once', async () => {
    const since = daemon.eventLog.lastSeq();
    gpio.setInput(EMERGENCY, true);
    gpio.setInput(CONFIRM, true);
    await waitFor(
      () => events().some((e) => e.seq > since && e.type === 'emergency.started'),
      'emergency.started',
    );
    await waitFor(() => energised().includes('door.lock'), 'the door released');
    expect(
      events()
        .filter((e) => e.seq > since)
        .map((e) => e.type),
    ).not.toContain('cabinet.tamper');

    gpio.setInput(EMERGENCY, false);
    gpio.setInput(CONFIRM, false);
    await waitFor(
      () => events().some((e) => e.seq > since && e.type === 'emergency.ended'),
      'emergency.ended',
    );
  });
});
