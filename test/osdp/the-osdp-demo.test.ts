import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OSDP_CARDS } from '../../src/daemon/demo-data.js';
import type { SimSnapshot } from '../../src/sim/sim-cabinet.js';
import { DaemonProcess } from '../support/daemon-process.js';
import { runCli } from '../support/run-cli.js';
import { SimStream } from '../support/sim-stream.js';
import { waitFor } from '../support/wait-for.js';

/**
 * `npm run start:osdp` as it starts: the built daemon with the shipped OSDP demo config
 * (config/demo-osdp.json: profile sim-osdp, `--demo`), moved to a temp directory. The badge
 * reader is a simulated OSDP reader on the in-process link, secured with the demo's own key;
 * `sim badge` and `sim keypad` go to that reader, which answers the cabinet's polls with RAW and
 * KEYPAD replies that the cabinet decodes as a real reader's.
 */
const SHIPPED = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'config', 'demo-osdp.json'), 'utf8'),
) as Record<string, unknown>;

let dir: string;
let configFile: string;
let daemon: DaemonProcess;
let stream: SimStream;
let url: string;

function writeConfig(): string {
  const file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...SHIPPED,
      database: join(dir, 'demo-osdp.db'),
      mqtt: { url: 'mqtt://127.0.0.1:1', allowPlainText: true },
      sim: { host: '127.0.0.1', port: 0 },
      web: { host: '127.0.0.1', port: 0, accountsDatabase: join(dir, 'demo-osdp-web.db') },
    }),
  );
  return file;
}

async function simState(): Promise<SimSnapshot> {
  return (await (await fetch(`${url}state`)).json()) as SimSnapshot;
}

function ofType(type: string) {
  return stream.events.filter((e) => e.type === type);
}

async function sim(...args: string[]) {
  return runCli(['sim', ...args, '--url', url]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-osdp-demo-'));
  configFile = writeConfig();
  daemon = new DaemonProcess(configFile, {}, [], ['--demo']);
  await daemon.start();
  url = daemon.simUrl();
  stream = await SimStream.open(url);
  await daemon.waitForLog((l) => l.msg === 'OSDP reader online' && l.secured === true);
}, 60_000);

afterAll(async () => {
  await stream?.close();
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the OSDP demo', () => {
  it("makes its own key file, 0600, by the demo's name beside its database", () => {
    const key = join(dir, 'demo-osdp-key');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(key, 'latin1')).toMatch(/^[0-9a-f]{32}\n$/);
    // Not the cabinet's key file: a run without --demo never finds the demo's.
    expect(existsSync(join(dir, 'osdp-key'))).toBe(false);
  });

  it("Alice's card through `sim badge`: read off the secured bus, granted, her slots released", async () => {
    const presented = await sim('badge', DEMO_OSDP_CARDS.alice);
    expect(presented).toMatchObject({ code: 0, out: 'card presented' });
    await waitFor(() => ofType('access.granted').length === 1, 'access.granted');
    expect(ofType('access.granted')[0]?.data).toMatchObject({
      holderName: 'Alice Example',
      slots: [1, 2, 3, 4, 5, 6],
    });
    await waitFor(() => stream.slotReleases().includes(1), 'slot 1 released on the stream');
    await waitFor(async () => (await simState()).osdpReader?.led.color === 'green', 'LED green');
    expect((await simState()).osdpReader).toMatchObject({
      address: 0,
      connected: true,
      answering: true,
      secured: true,
      led: { color: 'green', flashing: false },
    });
    // The session ends with the door used: the reader goes dark.
    expect(await sim('door', 'open')).toMatchObject({ code: 0 });
    expect(await sim('door', 'close')).toMatchObject({ code: 0 });
    await waitFor(async () => (await simState()).osdpReader?.led.color === 'black', 'LED dark');
  }, 30_000);

  it('an unknown H10301 card: denied, nothing released, the reader blinks red', async () => {
    const released = stream.slotReleases().length;
    expect(await sim('badge', '04209999')).toMatchObject({ code: 0 });
    await waitFor(() => ofType('access.denied').length === 1, 'access.denied');
    expect(ofType('access.denied')[0]?.data).toMatchObject({ reason: 'unknown_card' });
    await waitFor(async () => {
      const led = (await simState()).osdpReader?.led;
      return led?.color === 'red' && led.flashing;
    }, 'the reader blinking red');
    expect(stream.slotReleases()).toHaveLength(released);
  }, 30_000);

  it("keys typed at the simulator reach the cabinet as the reader's KEYPAD reply", async () => {
    const since = daemon.logs.length;
    expect(await sim('keypad', '1234#')).toMatchObject({ code: 0 });
    // Nothing asked for a PIN: the cabinet says it read an entry and ignored it.
    await daemon.waitForLog(
      (l) => l.msg === 'keypad entry while nothing is awaited: ignored',
      10_000,
      since,
    );
  }, 30_000);

  it('what the simulator refuses never reaches the reader: not an H10301 card, not a key', async () => {
    const before = stream.events.length;
    const pendingLogs = daemon.logs.length;
    // Nothing but an H10301 card a real card could be: no raw bits, no other length, no
    // facility or number beyond what 26 bits carry.
    for (const card of ['0420100199', '25600001', '04265536', '100086F444', 'alice']) {
      const refused = await sim('badge', card);
      expect(refused.code, card).not.toBe(0);
      expect(refused.err, card).toContain('H10301');
    }
    for (const keys of ['12A4#', '1234', '#']) {
      expect((await sim('keypad', keys)).code, keys).not.toBe(0);
    }
    const raw = await fetch(`${url}badge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bits: '10101' }),
    });
    expect(raw.status).toBe(400);
    // The reader got nothing to send: no card read, no keypad entry, no garbled read. Its
    // replies go in order, so once a valid entry typed after them is read, anything refused
    // would have been read before it.
    expect(await sim('keypad', '9#')).toMatchObject({ code: 0 });
    await daemon.waitForLog((l) => l.msg.startsWith('keypad entry'), 10_000, pendingLogs);
    expect(stream.events.slice(before)).toEqual([]);
    expect(
      daemon.logs.slice(pendingLogs).filter((l) => /keypad|garbled|card/i.test(l.msg)),
    ).toHaveLength(1);
  }, 30_000);

  it('the reader unplugged goes offline after 8 s (reader.offline), and back online', async () => {
    expect(await sim('reader', 'unplug')).toMatchObject({ code: 0, out: 'reader: unplugged' });
    await waitFor(() => ofType('reader.offline').length === 1, 'reader.offline', 15_000);
    expect((await simState()).osdpReader).toMatchObject({ connected: false, secured: false });
    expect(await sim('reader', 'plug')).toMatchObject({ code: 0 });
    await waitFor(() => ofType('reader.online').length === 1, 'reader.online', 15_000);
    await waitFor(async () => (await simState()).osdpReader?.secured === true, 'secured again');
  }, 40_000);
});

describe('the OSDP sim profile without --demo', () => {
  it('makes no key file and does not take the demo one: it stops with exit 78', async () => {
    await daemon.stop();
    const plain = new DaemonProcess(configFile);
    await expect(plain.start()).rejects.toThrow(/exited while starting \(78\)/);
    expect(plain.logs.map((l) => l.msg).join('\n')).toContain(
      `readers.osdpKeyFile ${join(dir, 'osdp-key')} does not exist`,
    );
    expect(existsSync(join(dir, 'osdp-key'))).toBe(false);
  }, 30_000);
});
