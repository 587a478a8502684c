import { afterEach, describe, expect, it } from 'vitest';
import { BadgeReader, type BadgeRead } from '../../../drivers/serial/badge-reader.js';
import type { ReaderGarbled } from '../../../drivers/serial/garbled.js';
import type { ReaderPort } from '../../../drivers/serial/reader-port.js';
import { isDriverError } from '../../../drivers/errors.js';
import { silentLogger, type Logger } from '../../../src/log/logger.js';
import {
  BAD_CHECKSUM_FRAME,
  FIELD_NOTES_CARD,
  FIELD_NOTES_FRAME,
  SECOND_CARD,
  SECOND_FRAME,
} from './fixtures/rdm6300-frames.js';
import { captureLogger, LEVEL } from './helpers/capture-logger.js';
import { nextEvent, record } from './helpers/events.js';
import { simReaderPort } from './helpers/sim-reader.js';

const ports: ReaderPort[] = [];
afterEach(async () => {
  await Promise.all(ports.splice(0).map((port) => port.stop()));
});

async function setup(
  options: { protocol?: 'rdm6300' | 'ascii-line'; lineFormat?: 'decimal' | 'hex' } = {},
  logger: Logger = silentLogger(),
) {
  const { port, sim } = simReaderPort('badge', logger);
  ports.push(port);
  const clock = { t: 0 };
  const reader = new BadgeReader({
    port,
    protocol: options.protocol ?? 'rdm6300',
    lineFormat: options.lineFormat,
    now: () => clock.t,
    logger,
  });
  const badges = record<BadgeRead>(reader, 'badge');
  const garbled = record<ReaderGarbled>(reader, 'garbled');
  const online = nextEvent(reader, 'online');
  reader.start();
  await online;
  return { reader, sim, clock, badges, garbled };
}

/** Parsers hand output on asynchronously; a frame for a different card marks "all seen". */
async function flushWith(reader: BadgeReader, inject: () => void): Promise<void> {
  const badge = nextEvent(reader, 'badge');
  inject();
  await badge;
}

describe('BadgeReader on a SimPort', () => {
  it('reports a card repeated every 50 ms once per presentation', async () => {
    const { reader, sim, clock, badges } = await setup();
    for (let i = 0; i < 10; i++) {
      sim.inject(FIELD_NOTES_FRAME);
      clock.t += 50;
    }
    await flushWith(reader, () => sim.inject(SECOND_FRAME));
    expect(badges).toEqual([{ card: FIELD_NOTES_CARD }, { card: SECOND_CARD }]);
  });

  it('reports the same card again after the quiet gap', async () => {
    const { reader, sim, clock, badges } = await setup();
    await flushWith(reader, () => sim.inject(FIELD_NOTES_FRAME));
    clock.t += 1000;
    await flushWith(reader, () => sim.inject(FIELD_NOTES_FRAME));
    expect(badges).toEqual([{ card: FIELD_NOTES_CARD }, { card: FIELD_NOTES_CARD }]);
  });

  it.each([
    ['decimal', '0008844356\r\n', '0008844356'],
    ['hex', '100086f444\r', '100086F444'],
  ] as const)('reads %s ASCII lines', async (lineFormat, line, card) => {
    const { reader, sim } = await setup({ protocol: 'ascii-line', lineFormat });
    const badge = nextEvent(reader, 'badge');
    sim.inject(line);
    expect(await badge).toEqual([{ card }]);
  });

  it('refuses ascii-line without a configured number format', () => {
    const { port } = simReaderPort('badge');
    let caught: unknown;
    try {
      new BadgeReader({ port, protocol: 'ascii-line', logger: silentLogger() });
    } catch (err) {
      caught = err;
    }
    expect(isDriverError(caught, 'INVALID_SETTING')).toBe(true);
  });

  it('reports a garbled frame with its reason only, and warns without the card number', async () => {
    const { logger, lines } = captureLogger();
    const { reader, sim, garbled } = await setup({}, logger);
    const event = nextEvent(reader, 'garbled');
    sim.inject(BAD_CHECKSUM_FRAME);
    expect(await event).toEqual([{ reason: 'bad checksum' }]);
    expect(garbled).toEqual([{ reason: 'bad checksum' }]);
    const warning = lines.find((l) => l.level === LEVEL.warn);
    expect(warning).toMatchObject({ msg: 'garbled read', reader: 'badge', reason: 'bad checksum' });
    expect(JSON.stringify(lines)).not.toContain('86F44');
  });

  it('throttles garbled-read warnings but still emits every event', async () => {
    const { logger, lines } = captureLogger();
    const { reader, sim, garbled } = await setup({}, logger);
    for (let i = 0; i < 5; i++) sim.inject(BAD_CHECKSUM_FRAME);
    await flushWith(reader, () => sim.inject(FIELD_NOTES_FRAME));
    expect(garbled).toHaveLength(5);
    expect(lines.filter((l) => l.msg === 'garbled read')).toHaveLength(1);
  });

  it('logs a presented card only in masked form', async () => {
    const { logger, lines } = captureLogger();
    const { reader, sim } = await setup({}, logger);
    await flushWith(reader, () => sim.inject(FIELD_NOTES_FRAME));
    expect(lines.find((l) => l.msg === 'badge presented')).toMatchObject({ card: '…F444' });
    expect(JSON.stringify(lines)).not.toContain(FIELD_NOTES_CARD);
  });

  it('never merges half a frame from before an unplug with bytes after it', async () => {
    const { reader, sim, badges, garbled } = await setup();
    sim.inject(FIELD_NOTES_FRAME.subarray(0, 7));
    const offline = nextEvent(reader, 'offline');
    sim.unplug();
    expect(await offline).toEqual([{ reason: 'disconnected' }]);
    const online = nextEvent(reader, 'online');
    sim.plug();
    await online;
    sim.inject(FIELD_NOTES_FRAME.subarray(7));
    await flushWith(reader, () => sim.inject(SECOND_FRAME));
    expect(badges).toEqual([{ card: SECOND_CARD }]);
    expect(garbled.map((g) => g.reason)).toEqual(['incomplete frame', 'bytes outside a frame']);
  });
});
