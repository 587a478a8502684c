import { afterEach, describe, expect, it } from 'vitest';
import { FobReader, type FobRead } from '../../../drivers/serial/fob-reader.js';
import type { ReaderGarbled } from '../../../drivers/serial/garbled.js';
import type { ReaderPort } from '../../../drivers/serial/reader-port.js';
import { silentLogger, type Logger } from '../../../src/log/logger.js';
import { captureLogger } from './helpers/capture-logger.js';
import { nextEvent, record, waitFor } from './helpers/events.js';
import { simReaderPort } from './helpers/sim-reader.js';

const ports: ReaderPort[] = [];
afterEach(async () => {
  await Promise.all(ports.splice(0).map((port) => port.stop()));
});

async function setup(logger: Logger = silentLogger()) {
  const { port, sim } = simReaderPort('fobs');
  ports.push(port);
  const reader = new FobReader({ port, slotCount: 12, logger });
  const fobs = record<FobRead>(reader, 'fob');
  const garbled = record<ReaderGarbled>(reader, 'garbled');
  const online = nextEvent(reader, 'online');
  reader.start();
  await online;
  return { reader, sim, fobs, garbled };
}

describe('FobReader on a SimPort', () => {
  it('reports each valid line, repeats included (no debouncing)', async () => {
    const { sim, fobs } = await setup();
    sim.inject('S03:100086f444\r\nS03:-\r\nS03:-\r\n');
    await waitFor(() => fobs.length === 3, 'three fob readings');
    expect(fobs).toEqual([
      { slot: 3, tag: '100086F444' },
      { slot: 3, tag: null },
      { slot: 3, tag: null },
    ]);
  });

  it('reports a slot out of range as garbled and carries on', async () => {
    const { reader, sim, fobs, garbled } = await setup();
    const fob = nextEvent(reader, 'fob');
    sim.inject('S13:ABCD\nS12:ABCD\n');
    await fob;
    expect(garbled).toEqual([{ reason: 'slot 13 out of range 1-12' }]);
    expect(fobs).toEqual([{ slot: 12, tag: 'ABCD' }]);
  });

  it('logs a fob tag only in masked form, and an empty slot as tag null', async () => {
    const { logger, lines } = captureLogger();
    const { sim, fobs } = await setup(logger);
    sim.inject('S03:100086F444\r\nS03:-\r\n');
    await waitFor(() => fobs.length === 2, 'two fob readings');
    const readings = lines.filter((l) => l.msg === 'fob reading');
    expect(readings).toMatchObject([
      { slot: 3, tag: '…F444' },
      { slot: 3, tag: null },
    ]);
    expect(JSON.stringify(lines)).not.toContain('100086F444');
  });

  it('forwards offline and online', async () => {
    const { reader, sim } = await setup();
    const offline = nextEvent(reader, 'offline');
    sim.unplug();
    expect(await offline).toEqual([{ reason: 'disconnected' }]);
    const online = nextEvent(reader, 'online');
    sim.plug();
    await online;
    expect(reader.isOnline).toBe(true);
  });
});
