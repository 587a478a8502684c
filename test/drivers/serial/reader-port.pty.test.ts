import { afterEach, describe, expect, it } from 'vitest';
import type { ReaderPort } from '../../../drivers/serial/reader-port.js';
import { openPtyPair, type PtyPair } from '../../support/pty-pair.js';
import { captureLogger, LEVEL } from './helpers/capture-logger.js';
import { nextEvent, record, waitFor } from './helpers/events.js';
import { realReaderPort } from './helpers/pty-reader.js';

let pty: PtyPair | undefined;
let port: ReaderPort | undefined;
afterEach(async () => {
  await port?.stop();
  await pty?.close();
});

describe('ReaderPort on a real device path', () => {
  it('keeps retrying a path that does not exist and comes online when it appears', async () => {
    pty = await openPtyPair();
    await pty.kill(); // the device path now names nothing
    const { logger, lines } = captureLogger();
    port = realReaderPort('badge', pty.devicePath, logger);
    const offline = record(port, 'offline');
    expect(() => port?.start()).not.toThrow();
    await waitFor(
      () => lines.filter((l) => l.msg === 'reader still offline').length >= 3,
      'three quiet retries',
    );
    expect(offline).toHaveLength(1);
    expect(lines.filter((l) => l.level >= LEVEL.warn)).toHaveLength(1);

    const online = nextEvent(port, 'online');
    await pty.restart();
    await online;
    expect(port.isOnline).toBe(true);
    const data = nextEvent(port, 'data');
    await pty.writeToDevice('x');
    expect(await data).toEqual([Buffer.from('x')]);
  });

  it('reports a killed socat as a disconnect', async () => {
    pty = await openPtyPair();
    port = realReaderPort('badge', pty.devicePath);
    const online = nextEvent(port, 'online');
    port.start();
    await online;
    const offline = nextEvent(port, 'offline');
    await pty.kill();
    // Normally serialport's disconnected close; the device-node check is the backstop.
    const [info] = (await offline) as [{ reason: string }];
    expect(['disconnected', 'device disappeared']).toContain(info.reason);
  });
});
