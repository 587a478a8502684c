import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { SimPortRegistry } from '../../drivers/serial/sim-port.js';
import { loadProfile } from '../../src/config/profile.js';
import { claimHardware } from '../../src/daemon/hardware.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { SimCabinet } from '../../src/sim/sim-cabinet.js';
import { isLoopbackAddress, simModule, type SimModuleOptions } from '../../src/web/routes/sim.js';
import type { SimStateView } from '../../src/web/ui/sim/sim-view.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

/**
 * The simulator's web API on its own (no daemon): what someone on this machine, or a web page in
 * its browser, can and cannot make the simulated cabinet do without signing in.
 */
const profile = loadProfile('sim', hardwareDir());
let harness: WebHarness;
let sim: SimCabinet;
let outputs: ReturnType<typeof claimHardware>['outputs'];
let badgeBytes: Buffer[];

function options(overrides: Partial<SimModuleOptions> = {}): SimModuleOptions {
  return {
    sim,
    listenHost: '127.0.0.1',
    demoBadges: [{ name: 'Alice Example', card: '100086F444', note: 'slots 1–6' }],
    keys: () => [
      { tag: 'A000000001', label: 'K-01', homeSlot: 1 },
      { tag: 'A000000002', label: 'K-02', homeSlot: 2 },
    ],
    onRecorded: () => () => undefined,
    ...overrides,
  };
}

async function start(overrides: Partial<SimModuleOptions> = {}): Promise<void> {
  harness = await startWebHarness({ modules: () => [simModule(options(overrides))], user: null });
}

beforeEach(async () => {
  const gpio = new SimGpioDriver({ logger: silentLogger() });
  outputs = claimHardware(gpio, profile, silentLogger()).outputs;
  const ports = new SimPortRegistry();
  sim = new SimCabinet(profile, gpio, ports);
  sim.preload(new Map([[1, 'A000000001']]));
  badgeBytes = [];
  const badge = ports.get('sim:badge');
  badge.on('data', (chunk: Buffer) => badgeBytes.push(chunk));
  await new Promise<void>((resolve, reject) => badge.open((e) => (e ? reject(e) : resolve())));
});

afterEach(async () => {
  await harness?.close();
});

/** A request with the headers given as they are (fetch will not forge a Host). */
function raw(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(path, harness.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: init.method ?? 'GET',
        headers: init.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        // A stream that was accepted is answered with its first message; enough to tell.
        res.on('data', (chunk: string) => {
          body += chunk;
          if (res.headers['content-type']?.startsWith('text/event-stream')) res.destroy();
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A live stream held open until `close`, its text passed on as it comes. */
function holdStream(): Promise<{
  status: number;
  onData(listener: (text: string) => void): void;
  close(): void;
}> {
  const url = new URL('/api/sim/stream', harness.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      res.setEncoding('utf8');
      const listeners: Array<(text: string) => void> = [];
      let early = '';
      res.on('data', (chunk: string) => {
        early += chunk;
        for (const listener of listeners) listener(chunk);
      });
      resolve({
        status: res.statusCode ?? 0,
        onData: (listener) => {
          listeners.push(listener);
          listener(early);
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', () => undefined);
    req.once('error', reject);
    req.end();
  });
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the simulator web API', () => {
  it('is mounted only for a loopback address', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(host), host).toBe(true);
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.20',
      '::ffff:10.0.0.1',
      '127.0.0.1.nip.io',
      'fe80::1',
    ])
      expect(isLoopbackAddress(host), host).toBe(false);
    expect(() => simModule(options({ listenHost: '0.0.0.0' }))).toThrow(
      /only on a loopback address/,
    );
  });

  it('answers its own page, state and stream, and acts on the cabinet', async () => {
    await start();
    expect((await raw('/sim')).body).toContain('/assets/sim.js');
    const state = JSON.parse((await raw('/api/sim/state')).body) as { state: { slots: unknown[] } };
    expect(state.state.slots[0]).toEqual({
      slot: 1,
      fob: { tag: 'A000000001', label: 'K-01', homeSlot: 1 },
      wrongKey: false,
      solenoid: false,
    });
    expect((await raw('/api/sim/stream')).body).toMatch(/^event: state\ndata: \{/);
    expect((await post('/api/sim/badge', { card: '100086f444' })).status).toBe(200);
    expect(Buffer.concat(badgeBytes).toString('latin1')).toContain('100086F444');
    expect(await post('/api/sim/door', { action: 'open' })).toMatchObject({ status: 409 });
    expect((await post('/api/sim/door', { action: 'force' })).status).toBe(200);
    const taken = await post('/api/sim/slots/1/take', {});
    expect(taken.status).toBe(409);
    expect(JSON.parse(taken.body)).toEqual({
      error: 'CONFLICT',
      message: 'slot 1 is locked (force it to pull the key anyway)',
    });
    expect((await post('/api/sim/slots/1/take', { force: true })).status).toBe(200);
    const wrong = await post('/api/sim/slots/2/insert', { tag: 'a000000001' });
    expect((JSON.parse(wrong.body) as SimStateView).slots[1]).toMatchObject({
      wrongKey: true,
      fob: { label: 'K-01' },
    });
  });

  it('refuses a name that is not loopback in Host (a DNS-rebound page), whatever the path', async () => {
    await start();
    const rebound = { host: 'attacker.example' };
    for (const path of ['/sim', '/api/sim/state', '/api/sim/stream']) {
      const answer = await raw(path, { headers: rebound });
      expect(answer.status, path).toBe(403);
      expect(answer.body, path).not.toContain('A000000001');
    }
    expect((await post('/api/sim/badge', { card: '100086F444' }, rebound)).status).toBe(403);
    expect(badgeBytes).toEqual([]);
  });

  it('refuses a foreign Origin and a POST that is not JSON, and changes nothing', async () => {
    await start();
    const foreign = { origin: 'http://evil.example' };
    expect((await post('/api/sim/door', { action: 'force' }, foreign)).status).toBe(403);
    expect((await raw('/api/sim/stream', { headers: foreign })).status).toBe(403);
    const plain = await raw('/api/sim/door', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"action":"force"}',
    });
    expect(plain.status).toBe(415);
    expect(sim.snapshot().door.open).toBe(false);
    const own = await post('/api/sim/door', { action: 'force' }, { origin: harness.url });
    expect(own.status).toBe(200);
  });

  it('names the field of a bad body, and sends nothing to the reader', async () => {
    await start();
    const cases: Array<[string, unknown, RegExp]> = [
      // A line break would be a second card on a line-based reader.
      ['/api/sim/badge', { card: '1234\r\n5678' }, /body\/card must match pattern/],
      ['/api/sim/badge', { card: '100086F444', extra: 1 }, /must NOT have additional properties/],
      ['/api/sim/badge', { card: 100086 }, /body\/card must be string/],
      ['/api/sim/badge', { card: '12345' }, /RDM6300 card number is 10 hex digits/],
      ['/api/sim/door', { action: 'explode' }, /body\/action/],
      ['/api/sim/slots/0/take', {}, /params\/slot must be >= 1/],
      ['/api/sim/slots/x/take', {}, /params\/slot must be integer/],
      ['/api/sim/slots/1/take', { force: 'yes' }, /body\/force must be boolean/],
      ['/api/sim/slots/11/insert', { tag: '../etc' }, /body\/tag must match pattern/],
      ['/api/sim/keypad', { keys: '12a#' }, /body\/keys must match pattern/],
    ];
    for (const [path, body, message] of cases) {
      const answer = await post(path, body);
      expect(answer.status, path).toBe(400);
      expect(
        (JSON.parse(answer.body) as { message: string }).message,
        JSON.stringify(body),
      ).toMatch(message);
    }
    expect((await post('/api/sim/slots/13/take', {})).body).toContain(
      'there is no slot 13 (1..12)',
    );
    expect(badgeBytes).toEqual([]);
    expect(sim.snapshot().door.open).toBe(false);
  });

  it('refuses to unplug a reader that is not a simulated OSDP one, and a bad reader body', async () => {
    await start();
    const notOsdp = await post('/api/sim/reader', { connected: false });
    expect(notOsdp.status).toBe(409);
    expect(notOsdp.body).toContain('not a simulated OSDP reader');
    for (const body of [{ connected: 'no' }, { connected: false, bytes: '53 00' }, {}]) {
      const answer = await post('/api/sim/reader', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect((JSON.parse(answer.body) as { message: string }).message).toMatch(/body/);
    }
    const foreign = await post(
      '/api/sim/reader',
      { connected: false },
      { origin: 'http://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(sim.snapshot().osdpReader).toBeUndefined();
  });

  it('holds a bounded number of live streams', async () => {
    await start({ maxStreams: 2 });
    const open = [await holdStream(), await holdStream()];
    expect(open.map((s) => s.status)).toEqual([200, 200]);
    expect((await raw('/api/sim/stream')).status).toBe(503);
    open[0]?.close();
    await expect
      .poll(async () => (await raw('/api/sim/stream')).status, { timeout: 5_000 })
      .toBe(200);
    open[1]?.close();
  });

  it('streams the cabinet once a change has settled, then each recorded event', async () => {
    let deliver: (events: readonly RecordedEvent[]) => void = () => undefined;
    await start({
      onRecorded: (listener) => {
        deliver = listener;
        return () => undefined;
      },
    });
    const stream = await holdStream();
    let text = '';
    stream.onData((chunk) => (text += chunk));
    const until = (pattern: RegExp) => expect.poll(() => pattern.test(text)).toBe(true);
    await until(/event: state/);
    text = '';
    // Three outputs switched in one turn, as a badge does: one message with all three.
    outputs.doorLock.write(true);
    outputs.green.write(true);
    outputs.red.write(true);
    deliver([
      {
        seq: 7,
        type: 'door.forced',
        time: '2026-12-07T05:00:00.000Z',
        data: {},
      } as unknown as RecordedEvent,
    ]);
    await until(/event: event\ndata: .*\n\n/);
    const messages = text.split('\n\n').filter(Boolean);
    expect(messages.map((m) => m.split('\n')[0])).toEqual(['event: state', 'event: event']);
    const state = JSON.parse(messages[0]!.split('data: ')[1]!) as SimStateView;
    expect(state.door.unlocked).toBe(true);
    expect(state.indicators.green).toBe(true);
    expect(state.indicators.red).toBe(true);
    expect(JSON.parse(messages[1]!.split('data: ')[1]!)).toEqual({
      seq: 7,
      type: 'door.forced',
      time: '2026-12-07T05:00:00.000Z',
      detail: '',
    });
    stream.close();
  });
});
