import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedOsdpBus, SimulatedOsdpReader } from '../../drivers/osdp/sim/index.js';
import { acquireCabinetLock } from '../../src/daemon/cabinet-lock.js';
import type { DoctorMachine } from '../../src/maintenance/doctor-machine.js';
import { formatCheck, type CheckResult } from '../../src/maintenance/doctor-report.js';
import { runDoctor } from '../../src/maintenance/doctor.js';
import { FakeGpioTools } from '../drivers/gpio/fake-gpio-tools.js';
import { layout } from '../drivers/gpio/pi-layouts.js';
import { temporaryDir } from '../support/mosquitto-users.js';
import { CABINET_KEY, CABINET_KEY_HEX } from '../support/osdp-cabinet.js';
import { freePort } from '../support/ports.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BAUD = 115_200;
/** A reader that is there answers within a few hundred ms; one that is not is waited for this long. */
const READER_WAIT_MS = 4_000;

/**
 * `keywarden doctor` asking the readers whether they talk: the badge reader's line is one end
 * of a socat pty pair, the PD simulator (SimulatedOsdpBus) answers on the other end through the
 * real serialport package, as in test/support/osdp-cabinet.ts. Each case is named with the fix
 * doctor gives.
 */
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Site {
  configFile: string;
  database: string;
  machine: DoctorMachine;
  line: PtyPair;
  fob: PtyPair;
}

async function site(badge: Record<string, unknown>): Promise<Site> {
  const dir = temporaryDir('keywarden-doctor-readers-');
  const [line, fob] = await Promise.all([openPtyPair(), openPtyPair()]);
  cleanups.push(
    () => line.close(),
    () => fob.close(),
  );
  const profile = JSON.parse(readFileSync(join(ROOT, 'hardware', 'sim.json'), 'utf8')) as {
    readers: { badge: Record<string, unknown>; fob: Record<string, unknown> };
  };
  profile.readers.badge = { path: line.devicePath, ...badge };
  profile.readers.fob = { path: fob.devicePath, baudRate: BAUD, protocol: 'fob-line' };
  writeFileSync(join(dir, 'profile.json'), JSON.stringify(profile));
  const keyFile = join(dir, 'osdp-key');
  writeFileSync(keyFile, `${CABINET_KEY_HEX}\n`, { mode: 0o600 });
  const database = join(dir, 'cabinet.db');
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      cabinetId: 'doctor-readers',
      profile: join(dir, 'profile.json'),
      database,
      mqtt: { url: `mqtt://127.0.0.1:${await freePort()}`, allowPlainText: true },
      readers: { osdpKeyFile: keyFile },
    }),
  );
  const status = join(dir, 'status');
  writeFileSync(status, 'Name:\tnode\nNoNewPrivs:\t1\nSeccomp:\t2\n');
  const machine: DoctorMachine = {
    user: { name: 'root', uid: 0, gids: [0] },
    groupName: (gid) => (gid === 0 ? 'root' : undefined),
    sysfsGpio: join(dir, 'no-gpio'),
    timesyncFlag: join(dir, 'synchronized'),
    procStatus: status,
    env: {},
    run: () => ({ missing: true }),
    statfs: () => ({ freeBytes: 10_000 * 1024 * 1024, totalBytes: 29_000 * 1024 * 1024 }),
    brokerTimeoutMs: 1_000,
    readerWaitMs: READER_WAIT_MS,
    gpioTools: new FakeGpioTools(layout('Pi 4, kernel 6.6')),
  };
  return { configFile, database, machine, line, fob };
}

const osdpBadge = (reader: { address: number }, secure: 'on' | 'off' | 'install' = 'on') => ({
  baudRate: BAUD,
  protocol: 'osdp',
  osdp: {
    readers: [{ address: reader.address, name: 'front', role: 'badge' }],
    cardFormats: ['H10301'],
    secure,
    feedback: 'both',
  },
});

/** The simulated reader on the line's far end, the port opened at `lineBaud` as the panel's. */
async function plugReader(
  line: PtyPair,
  reader: { address: number; baudRate: number; scbk?: Uint8Array },
): Promise<SimulatedOsdpReader> {
  const simulated = new SimulatedOsdpReader(reader);
  const bus = new SimulatedOsdpBus([simulated]);
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const opened = new SerialPort({ path: line.peerPath, baudRate: BAUD, autoOpen: false });
    opened.open((err) => (err ? reject(err) : resolve(opened)));
  });
  port.on('error', () => undefined);
  // The pty has no speed: the panel talks at the profile's, which a reader at another misses.
  const detach = bus.attachToPort(port, BAUD);
  cleanups.push(async () => {
    detach();
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  });
  return simulated;
}

async function readerLines(s: Site): Promise<string[]> {
  const results: CheckResult[] = await runDoctor({ configFile: s.configFile, machine: s.machine });
  return results.filter((r) => r.check.includes('reader')).map(formatCheck);
}

describe('keywarden doctor: the readers talking, not only present', () => {
  it('an OSDP reader answering at its address and speed: ok, secured, with its identity', async () => {
    const s = await site(osdpBadge({ address: 1 }));
    await plugReader(s.line, { address: 1, baudRate: BAUD, scbk: CABINET_KEY });
    const lines = await readerLines(s);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ok {4}badge reader front talking: answers at address 1, 115200 baud on .*, secured; vendor [0-9A-F]{6} model/,
      ),
    );
    // The fob reader (fob-line) speaks only when a fob is hung: its port opening is all checked.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ok {4}fob reader talking: .* opens at 115200 baud; this reader \(fob-line\) speaks only when a card or fob is presented, so whether it reads is not checked here/,
      ),
    );
  });

  it('no reader on the line: FAIL, check its power and the RS-485 wiring', async () => {
    const s = await site(osdpBadge({ address: 1 }, 'off'));
    const lines = await readerLines(s);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^FAIL {2}badge reader front talking: no answer at address 1, 115200 baud on .*\. Fix: check its power and the RS-485 wiring \(A and B swapped\?/,
      ),
    );
  });

  it('the reader at another address: FAIL, set the address in the profile or move it back with osdp comset', async () => {
    const s = await site(osdpBadge({ address: 1 }, 'off'));
    await plugReader(s.line, { address: 5, baudRate: BAUD });
    const [line] = (await readerLines(s)).filter((l) => l.includes('badge reader front'));
    expect(line).toMatch(
      /^FAIL {2}badge reader front talking: no answer at address 1, 115200 baud/,
    );
    expect(line).toMatch(/readers\.badge\.osdp\.readers\[\]\.address .* "keywarden osdp comset"/);
  });

  it('the reader at another speed: FAIL, set readers.badge.baudRate to its speed or move it back', async () => {
    const s = await site(osdpBadge({ address: 1 }, 'off'));
    await plugReader(s.line, { address: 1, baudRate: 9_600 });
    const [line] = (await readerLines(s)).filter((l) => l.includes('badge reader front'));
    expect(line).toMatch(
      /^FAIL {2}badge reader front talking: no answer at address 1, 115200 baud/,
    );
    expect(line).toMatch(/readers\.badge\.baudRate in .*profile\.json/);
  });

  it('with the daemon running: not checked, the daemon holds the port (nothing is sent on its bus)', async () => {
    const s = await site(osdpBadge({ address: 1 }));
    const lock = acquireCabinetLock(s.database);
    cleanups.push(() => lock.release());
    const heard: Buffer[] = [];
    const peer = new SerialPort({ path: s.line.peerPath, baudRate: BAUD });
    peer.on('data', (chunk: Buffer) => heard.push(chunk));
    cleanups.push(() => new Promise<void>((resolve) => peer.close(() => resolve())));
    const lines = await readerLines(s);
    expect(lines).toContain('ok    badge reader talking: not checked: the daemon holds the port.');
    expect(lines).toContain('ok    fob reader talking: not checked: the daemon holds the port.');
    expect(heard).toEqual([]);
  });

  it('install mode, a reader on the factory key: doctor sends no KEYSET, it only asks', async () => {
    // Each run of a bus in install mode offers the cabinet's key under the public SCBK-D to
    // whatever answers with it: doctor, run by an installer, must not be one more such run.
    const s = await site(osdpBadge({ address: 1 }, 'install'));
    const reader = await plugReader(s.line, { address: 1, baudRate: BAUD });
    let keyed = false;
    reader.on('keyed', () => (keyed = true));
    const [line] = (await readerLines(s)).filter((l) => l.includes('badge reader front'));
    expect(keyed).toBe(false);
    expect(reader.installMode).toBe(true);
    expect(line).toMatch(
      /^FAIL {2}badge reader front talking: no answer at address 1, 115200 baud/,
    );
    expect(line).toMatch(/still on the factory key .* moved to the cabinet’s key by the daemon/);
  });

  it('an RDM6300 badge reader: the port opens at its speed, and the line says no more than that', async () => {
    const s = await site({ baudRate: 9_600, protocol: 'rdm6300' });
    const lines = await readerLines(s);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ok {4}badge reader talking: .* opens at 9600 baud; this reader \(rdm6300\) speaks only when a card or fob is presented/,
      ),
    );
  });
});
