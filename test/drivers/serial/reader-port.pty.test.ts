import { afterEach, describe, expect, it } from 'vitest';
import { ReaderPort, type ReaderOffline } from '../../../drivers/serial/reader-port.js';
import { realPortFactory } from '../../../drivers/serial/serial-port-like.js';
import { openPtyPair, type PtyPair } from '../../support/pty-pair.js';
import { captureLogger, LEVEL } from './helpers/capture-logger.js';
import { pace } from '../../support/wait-for.js';
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

describe('ReaderPort silence on a real device path', () => {
  it('a reader that stops sending is offline after silenceMs, and online at its next byte', async () => {
    pty = await openPtyPair();
    const { logger, lines } = captureLogger();
    port = new ReaderPort({
      name: 'fob',
      path: pty.devicePath,
      baudRate: 9600,
      factory: realPortFactory,
      logger,
      reopenIntervalMs: 50,
      livenessIntervalMs: 250,
      silenceMs: 300,
    });
    const online = nextEvent(port, 'online');
    port.start();
    await online;
    const offline = record<ReaderOffline>(port, 'offline');
    const onlines = record(port, 'online');
    // Bytes every 100 ms keep it online.
    for (let i = 0; i < 6; i++) {
      await pty.writeToDevice('S01:-\n');
      await pace(100, 'a reader sending every 100 ms, within its 300 ms silence');
    }
    expect(offline).toEqual([]);
    await waitFor(() => offline.length === 1, 'the silence to be noticed');
    expect(offline[0]).toEqual({ reason: 'no data for 300 ms' });
    expect(port.isOnline).toBe(false);

    const back = nextEvent(port, 'data');
    await pty.writeToDevice('S01:-\n');
    await back;
    expect(onlines).toHaveLength(1);
    expect(port.isOnline).toBe(true);

    // Unplugged while silent: still one outage, announced once.
    await waitFor(() => offline.length === 2, 'silence again');
    const retries = lines.filter((l) => l.msg === 'reader still offline').length;
    await pty.kill();
    // The marker: a quiet retry of the vanished device, which comes only after the loss was
    // handled (and an announcement, had there been one).
    await waitFor(
      () => lines.filter((l) => l.msg === 'reader still offline').length > retries,
      'a retry of the unplugged reader',
    );
    expect(offline).toHaveLength(2);
    const returned = nextEvent(port, 'online');
    await pty.restart();
    await returned;
    expect(onlines).toHaveLength(2);
  });
});
