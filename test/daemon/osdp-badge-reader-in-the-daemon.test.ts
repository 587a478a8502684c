import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OsdpBadgeReader } from '../../drivers/osdp/cabinet/osdp-badge-reader.js';
import type { OsdpBusOptions } from '../../drivers/osdp/link/bus-api.js';
import type { ReaderPort } from '../../drivers/serial/reader-port.js';
import { SimPortRegistry } from '../../drivers/serial/sim-port.js';
import { isPermanentStartError } from '../../src/cli/commands/run.js';
import { loadProfile, type HardwareProfile, type OsdpBusSpec } from '../../src/config/profile.js';
import type { OsdpLink } from '../../src/daemon/osdp-link.js';
import { createReaders } from '../../src/daemon/readers.js';
import { isKeywardenError } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { CLI } from '../support/daemon-process.js';
import { FakeOsdpBus } from '../support/fake-osdp-bus.js';
import { testConfig } from '../support/test-config.js';

const KEY = '00112233445566778899aabbccddeeff';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-osdp-'));
  dirs.push(dir);
  return dir;
}

function osdpProfile(osdp: Partial<OsdpBusSpec> = {}): HardwareProfile {
  const profile = loadProfile('sim', hardwareDir());
  return {
    ...profile,
    readers: {
      ...profile.readers,
      badge: {
        path: 'sim:badge',
        baudRate: 9600,
        protocol: 'osdp',
        osdp: {
          readers: [
            { address: 1, name: 'front', role: 'badge' },
            { address: 2, name: 'bench', role: 'polled' },
          ],
          cardFormats: [{ kind: 'wiegand', format: 'H10301' }],
          secure: 'on',
          feedback: 'reader',
          ...osdp,
        },
      },
    },
  };
}

/** A link whose bus is a fake, keeping what it was made with. */
function fakeLink() {
  const made: { options: OsdpBusOptions; bus: FakeOsdpBus; port: ReaderPort }[] = [];
  let disconnected = 0;
  const link: OsdpLink = {
    createOsdpBus: (options) => {
      const bus = new FakeOsdpBus(options);
      made.push({ options, bus, port: undefined as unknown as ReaderPort });
      return bus;
    },
    connectBusToPort: (bus, port) => {
      const entry = made.find((m) => m.bus === bus);
      if (entry) entry.port = port;
      return () => {
        disconnected += 1;
      };
    },
    portWriter: () => () => undefined,
  };
  return { link, made, disconnected: () => disconnected };
}

function keyFile(dir: string, mode = 0o600, text = `${KEY}\n`): string {
  const file = join(dir, 'osdp-key');
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return file;
}

const build = (profile: HardwareProfile, config = testConfig(), link = fakeLink().link) =>
  createReaders(profile, config, new SimPortRegistry().factory, silentLogger(), link);

function refusal(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  return expect.unreachable('expected a refusal');
}

describe('the daemon builds an OSDP badge reader from the profile', () => {
  it('on its bus, every reader with the cabinet key, the badge reader the cabinet listens to', async () => {
    const dir = tempDir();
    const config = testConfig({ readers: { osdpKeyFile: keyFile(dir) } });
    const { link, made, disconnected } = fakeLink();
    const readers = build(osdpProfile(), config, link);
    expect(readers.badge).toBeInstanceOf(OsdpBadgeReader);
    expect(made).toHaveLength(1);
    const [{ options, bus, port }] = made as [(typeof made)[0]];
    expect(options.readers.map((r) => [r.address, r.name, r.secure])).toEqual([
      [1, 'front', 'on'],
      [2, 'bench', 'on'],
    ]);
    expect(options.readers.map((r) => Buffer.from(r.scbk ?? []).toString('hex'))).toEqual([
      KEY,
      KEY,
    ]);
    expect(port.name).toBe('badge');
    expect(readers.feedback?.replacesPins).toBe(true);

    readers.start();
    expect(bus.started).toBe(true);
    const cards: string[] = [];
    readers.badge.on('badge', ({ card }) => cards.push(card));
    bus.emit('card', {
      address: 1,
      read: { reader: 0, format: 1, bitCount: 26, data: Uint8Array.from([0x86, 0x43, 0x83, 0xc0]) },
    });
    expect(cards).toEqual(['01234567']);
    // The feedback goes to the badge reader's address, only while it answers.
    expect(readers.feedback?.show('denied')).toBe(false);
    bus.bringOnline(1);
    expect(readers.feedback?.show('denied')).toBe(true);
    expect(bus.sent.map((s) => s.address)).toEqual([1]);
    await readers.stop();
    expect(bus.started).toBe(false);
    expect(disconnected()).toBe(1);
  });

  it('feedback "both" keeps the pins, "pi" sends nothing to the reader', () => {
    const dir = tempDir();
    const config = testConfig({ readers: { osdpKeyFile: keyFile(dir) } });
    expect(build(osdpProfile({ feedback: 'both' }), config).feedback?.replacesPins).toBe(false);
    expect(build(osdpProfile({ feedback: 'pi' }), config).feedback).toBeUndefined();
  });

  it('secure "off" needs no key and hands the bus none', () => {
    const { link, made } = fakeLink();
    build(osdpProfile({ secure: 'off' }), testConfig(), link);
    expect(made[0]?.options.readers.every((r) => r.scbk === undefined && r.secure === 'off')).toBe(
      true,
    );
  });

  it('the key file beside the database when unset', () => {
    const dir = tempDir();
    keyFile(dir);
    const { link, made } = fakeLink();
    build(osdpProfile({ secure: 'install' }), testConfig({ database: join(dir, 'k.db') }), link);
    expect(made[0]?.options.readers[0]?.secure).toBe('install');
    expect(Buffer.from(made[0]?.options.readers[0]?.scbk ?? []).toString('hex')).toBe(KEY);
  });

  it('secure "on" or "install" without the key file: a config error (exit 78) naming it', () => {
    const dir = tempDir();
    const missing = join(dir, 'no-such-key');
    for (const secure of ['on', 'install'] as const) {
      const error = refusal(() =>
        build(osdpProfile({ secure }), testConfig({ readers: { osdpKeyFile: missing } })),
      );
      expect(isKeywardenError(error, 'CONFIG_INVALID')).toBe(true);
      expect(isPermanentStartError(error)).toBe(true);
      expect(error.message).toMatch(`readers.osdpKeyFile ${missing} does not exist`);
    }
    const memory = refusal(() => build(osdpProfile(), testConfig()));
    expect(memory.message).toMatch(/^readers\.osdpKeyFile: is required for osdp\.secure "on"/);
  });

  it('a key file others can read is refused, and its content never shown', () => {
    const dir = tempDir();
    const file = keyFile(dir, 0o644);
    const error = refusal(() =>
      build(osdpProfile(), testConfig({ readers: { osdpKeyFile: file } })),
    );
    expect(isKeywardenError(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toMatch(/is readable by others \(mode 644\)/);
    expect(error.message).not.toContain(KEY.slice(0, 8));
  });

  it('with the real link, an OSDP profile makes an OSDP reader that polls its port, never an RDM6300', async () => {
    const ports = new SimPortRegistry();
    const readers = createReaders(
      osdpProfile({ secure: 'off' }),
      testConfig(),
      ports.factory,
      silentLogger(),
    );
    expect(readers.badge).toBeInstanceOf(OsdpBadgeReader);
    readers.start();
    try {
      // The bus's first frame on the wire: an ID command, marked and framed (53 …).
      const device = ports.get(osdpProfile({ secure: 'off' }).readers.badge.path);
      await vi.waitFor(() => expect(device.written.length).toBeGreaterThan(0));
      const first = device.written[0];
      expect([first?.[0], first?.[1]]).toEqual([0xff, 0x53]);
    } finally {
      await readers.stop();
    }
  });
});

describe('the daemon refuses a broken OSDP profile', () => {
  function run(configFile: string) {
    const child = spawn(
      process.execPath,
      [CLI, 'run', '--config', configFile, '--no-interactive'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 10_000,
        killSignal: 'SIGKILL',
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise<{ code: number | null; output: string }>((resolve) =>
      child.on('exit', (code) => resolve({ code, output })),
    );
  }

  function cabinet(badge: Record<string, unknown>, readers: Record<string, unknown> = {}) {
    const dir = tempDir();
    const profile = JSON.parse(readFileSync(join(hardwareDir(), 'sim.json'), 'utf8')) as {
      readers: Record<string, unknown>;
    };
    profile.readers.badge = badge;
    const profileFile = join(dir, 'osdp-sim.json');
    writeFileSync(profileFile, JSON.stringify(profile));
    const configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        version: 1,
        cabinetId: 'site1-cabinet-a',
        profile: profileFile,
        database: join(dir, 'cabinet.db'),
        mqtt: { url: 'mqtt://127.0.0.1:1', allowPlainText: true },
        sim: { host: '127.0.0.1', port: 0 },
        readers,
      }),
    );
    return { dir, profileFile, configFile };
  }

  const bus = (osdp: Record<string, unknown>) => ({
    path: 'sim:badge',
    baudRate: 9600,
    protocol: 'osdp',
    osdp,
  });

  it('two readers at one address: exit 78 naming the file and the field', async () => {
    const { profileFile, configFile } = cabinet(
      bus({
        readers: [
          { address: 4, name: 'front' },
          { address: 4, name: 'bench', role: 'polled' },
        ],
      }),
    );
    const result = await run(configFile);
    expect(result.code).toBe(78);
    expect(result.output).toContain(
      `${profileFile}: readers.badge.osdp.readers[1].address: 4 is already used by readers.badge.osdp.readers[0]`,
    );
  });

  it('secured without its key file: exit 78 naming the key file', async () => {
    const { dir, configFile } = cabinet(bus({ readers: [{ address: 0, name: 'front' }] }));
    const result = await run(configFile);
    expect(result.code).toBe(78);
    expect(result.output).toContain(`readers.osdpKeyFile ${join(dir, 'osdp-key')} does not exist`);
  });
});
