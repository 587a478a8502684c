import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FobReader } from '../../../drivers/serial/fob-reader.js';
import type { ReaderPort } from '../../../drivers/serial/reader-port.js';
import { formatFobLine } from '../../../drivers/serial/fob-line.js';
import { silentLogger } from '../../../src/log/logger.js';
import { openPtyPair, type PtyPair } from '../../support/pty-pair.js';
import { nextEvent } from './helpers/events.js';
import { realReaderPort } from './helpers/pty-reader.js';

let pty: PtyPair;
let port: ReaderPort;
beforeEach(async () => {
  pty = await openPtyPair();
  port = realReaderPort('fobs', pty.devicePath);
});
afterEach(async () => {
  await port.stop();
  await pty.close();
});

describe('FobReader on a socat pty through serialport', () => {
  it('reads fob lines, goes offline on unplug and reads again after replug', async () => {
    const reader = new FobReader({ port, slotCount: 24, logger: silentLogger() });
    const online = nextEvent(reader, 'online');
    reader.start();
    await online;

    let fob = nextEvent(reader, 'fob');
    await pty.writeToDevice(formatFobLine(3, '100086F444') + '\r\n');
    expect(await fob).toEqual([{ slot: 3, tag: '100086F444' }]);

    const offline = nextEvent(reader, 'offline');
    await pty.kill();
    await offline;
    const back = nextEvent(reader, 'online');
    await pty.restart();
    await back;

    fob = nextEvent(reader, 'fob');
    await pty.writeToDevice(formatFobLine(3, null) + '\r\n');
    expect(await fob).toEqual([{ slot: 3, tag: null }]);
  });
});
