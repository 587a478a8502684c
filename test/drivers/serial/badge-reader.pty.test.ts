import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadgeReader, type BadgeRead } from '../../../drivers/serial/badge-reader.js';
import type { ReaderPort } from '../../../drivers/serial/reader-port.js';
import { silentLogger } from '../../../src/log/logger.js';
import { openPtyPair, type PtyPair } from '../../support/pty-pair.js';
import {
  FIELD_NOTES_CARD,
  FIELD_NOTES_FRAME,
  SECOND_CARD,
  SECOND_FRAME,
} from './fixtures/rdm6300-frames.js';
import { pace } from '../../support/wait-for.js';
import { nextEvent, record } from './helpers/events.js';
import { realReaderPort } from './helpers/pty-reader.js';

let pty: PtyPair;
let port: ReaderPort;
beforeEach(async () => {
  pty = await openPtyPair();
  port = realReaderPort('badge', pty.devicePath);
});
afterEach(async () => {
  await port.stop();
  await pty.close();
});

describe('BadgeReader on a socat pty through serialport', () => {
  it('reads a presented card once, survives an unplug, and reads again after replug', async () => {
    // A hand-driven clock: presentations are decided by the test, not by scheduling luck.
    const clock = { t: 0 };
    const reader = new BadgeReader({
      port,
      protocol: 'rdm6300',
      now: () => clock.t,
      logger: silentLogger(),
    });
    const badges = record<BadgeRead>(reader, 'badge');
    const online = nextEvent(reader, 'online');
    reader.start();
    await online;

    // The card sits in the field: the reader repeats its frame every 50 ms.
    for (let i = 0; i < 5; i++) {
      await pty.writeToDevice(FIELD_NOTES_FRAME);
      await pace(50, 'the reader repeating its frame, as an RDM6300 does');
    }
    // Bytes arrive in order: once the next card is read, every repeat has been seen.
    let badge = nextEvent(reader, 'badge');
    await pty.writeToDevice(SECOND_FRAME);
    await badge;
    expect(badges).toEqual([{ card: FIELD_NOTES_CARD }, { card: SECOND_CARD }]);

    const offline = nextEvent(reader, 'offline');
    await pty.kill();
    expect(await offline).toHaveLength(1);
    expect(reader.isOnline).toBe(false);

    const back = nextEvent(reader, 'online');
    await pty.restart();
    await back;
    clock.t += 10_000;
    badge = nextEvent(reader, 'badge');
    await pty.writeToDevice(FIELD_NOTES_FRAME);
    expect(await badge).toEqual([{ card: FIELD_NOTES_CARD }]);
    expect(badges).toHaveLength(3);
  });

  it('reads ASCII line badges', async () => {
    const reader = new BadgeReader({
      port,
      protocol: 'ascii-line',
      lineFormat: 'decimal',
      logger: silentLogger(),
    });
    const online = nextEvent(reader, 'online');
    reader.start();
    await online;
    const badge = nextEvent(reader, 'badge');
    await pty.writeToDevice('0008844356\r\n');
    expect(await badge).toEqual([{ card: '0008844356' }]);
  });

  it('tells keypad entries from cards on an ASCII line, and never echoes a bad entry', async () => {
    const reader = new BadgeReader({
      port,
      protocol: 'ascii-line',
      lineFormat: 'decimal',
      logger: silentLogger(),
    });
    const entries = record(reader, 'keypad');
    const garbled = record<{ reason: string }>(reader, 'garbled');
    const online = nextEvent(reader, 'online');
    reader.start();
    await online;
    const badge = nextEvent(reader, 'badge');
    await pty.writeToDevice('K1234#\r\nK*\r\nK98x7#\r\n0008844356\r\n');
    expect(await badge).toEqual([{ card: '0008844356' }]);
    expect(entries).toEqual([{ kind: 'pin', digits: '1234' }, { kind: 'cancel' }]);
    expect(garbled).toHaveLength(1);
    expect(garbled[0]?.reason).not.toContain('98');
  });
});
