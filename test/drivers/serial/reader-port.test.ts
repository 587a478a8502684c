import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger, type Logger } from '../../../src/log/logger.js';
import { ReaderPort, type ReaderOffline } from '../../../drivers/serial/reader-port.js';
import type { PortFactory } from '../../../drivers/serial/serial-port-like.js';
import { SimPortRegistry } from '../../../drivers/serial/sim-port.js';
import { captureLogger, LEVEL } from './helpers/capture-logger.js';
import { nextEvent, record, waitFor } from './helpers/events.js';

const PATH = 'sim:badge';
const started: ReaderPort[] = [];

function setup(options: { logger?: Logger; factory?: PortFactory; path?: string } = {}) {
  const registry = new SimPortRegistry();
  const sim = registry.get(options.path ?? PATH);
  let opens = 0;
  const factory: PortFactory = (o) => {
    opens += 1;
    return (options.factory ?? registry.factory)(o);
  };
  const reader = new ReaderPort({
    name: 'badge',
    path: options.path ?? PATH,
    baudRate: 9600,
    factory,
    logger: options.logger ?? silentLogger(),
    reopenIntervalMs: 20,
    livenessIntervalMs: 20,
  });
  started.push(reader);
  return { reader, sim, opens: () => opens };
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((reader) => reader.stop()));
});

describe('ReaderPort', () => {
  it('opens on start and forwards bytes as Buffers', async () => {
    const { reader, sim } = setup();
    const online = nextEvent(reader, 'online');
    reader.start();
    await online;
    expect(reader.isOnline).toBe(true);
    const data = nextEvent(reader, 'data');
    sim.inject('abc');
    expect(await data).toEqual([Buffer.from('abc')]);
  });

  it('goes offline on unplug, retries quietly, and comes back online on plug', async () => {
    const { logger, lines } = captureLogger();
    const { reader, sim, opens } = setup({ logger });
    reader.start();
    await nextEvent(reader, 'online');
    const offline = record<ReaderOffline>(reader, 'offline');
    sim.unplug();
    await waitFor(() => opens() >= 4, 'several reopen attempts');
    expect(reader.isOnline).toBe(false);
    expect(offline).toEqual([{ reason: 'disconnected' }]);

    const online = nextEvent(reader, 'online');
    sim.plug();
    await online;
    expect(reader.isOnline).toBe(true);
    // The SimPort is reused across reopens: each one must leave no listeners behind.
    expect(['data', 'close', 'error'].map((e) => sim.listenerCount(e))).toEqual([1, 1, 1]);
    const transitions = lines.filter((l) => l.level >= LEVEL.info).map((l) => l.msg);
    expect(transitions).toEqual(['reader online', 'reader offline', 'reader online']);
    expect(lines.find((l) => l.msg === 'reader offline')).toMatchObject({ reader: 'badge' });
  });

  it('treats a device missing at start as offline, without throwing', async () => {
    const { reader, sim } = setup();
    sim.unplug();
    const offline = nextEvent(reader, 'offline');
    expect(() => reader.start()).not.toThrow();
    const [info] = (await offline) as [ReaderOffline];
    expect(info.reason).toMatch(/^open failed/);
    const online = nextEvent(reader, 'online');
    sim.plug();
    await online;
  });

  it('survives a factory that throws', async () => {
    const { reader } = setup({
      factory: () => {
        throw new Error('no such driver');
      },
    });
    const offline = nextEvent(reader, 'offline');
    reader.start();
    expect(await offline).toEqual([{ reason: 'open failed: no such driver' }]);
  });

  it('closes the port and reconnects after a port error', async () => {
    const { reader, sim } = setup();
    reader.start();
    await nextEvent(reader, 'online');
    const offline = nextEvent(reader, 'offline');
    sim.emit('error', new Error('EIO'));
    expect(await offline).toEqual([{ reason: 'port error' }]);
    await nextEvent(reader, 'online');
    expect(sim.isOpen).toBe(true);
  });

  it('stop() closes the port and stops retrying', async () => {
    // Fake timers: many reopen intervals pass at once, so "no retry" is checked, not hoped for.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const { reader, sim, opens } = setup();
      reader.start();
      await nextEvent(reader, 'online');
      await reader.stop();
      expect(sim.isOpen).toBe(false);
      expect(reader.isOnline).toBe(false);
      const attempts = opens();
      await vi.advanceTimersByTimeAsync(100 * 20); // a hundred reopen and liveness intervals
      expect(opens()).toBe(attempts);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stop() during an open leaves the port closed', async () => {
    const { reader, sim } = setup();
    reader.start();
    await reader.stop();
    expect(sim.isOpen).toBe(false);
    expect(reader.isOnline).toBe(false);
  });

  it('goes offline when the device node vanishes even if the port never reports it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keywarden-node-'));
    const node = join(dir, 'ttyUSB0');
    await writeFile(node, '');
    try {
      // A SimPort at a filesystem path: it never closes by itself, like the 1-in-26 unplug.
      const { reader } = setup({ path: node });
      reader.start();
      await nextEvent(reader, 'online');
      const offline = nextEvent(reader, 'offline');
      await rm(node);
      expect(await offline).toEqual([{ reason: 'device disappeared' }]);
      const online = nextEvent(reader, 'online');
      await writeFile(node, '');
      await online;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
