import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../../../drivers/osdp/frame-decoder.js';
import type { OsdpBus } from '../../../../drivers/osdp/link/bus-api.js';
import { createOsdpBus } from '../../../../drivers/osdp/link/bus.js';
import { connectBusToPort, writeToPort } from '../../../../drivers/osdp/link/port-glue.js';
import { ReaderPort } from '../../../../drivers/serial/reader-port.js';
import { realPortFactory } from '../../../../drivers/serial/serial-port-like.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { openPtyPair, type PtyPair } from '../../../support/pty-pair.js';
import { waitFor } from '../../../support/wait-for.js';
import { ScriptedReader } from './helpers/scripted-reader.js';

const SCBK = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const CARD = { reader: 0, format: 1, bitCount: 26, data: Uint8Array.of(0x86, 0x43, 0x83, 0xc0) };
const BAUD = 115200;

let pty: PtyPair | undefined;
let port: ReaderPort | undefined;
let peer: SerialPort | undefined;
let bus: OsdpBus | undefined;

afterEach(async () => {
  bus?.stop();
  await port?.stop();
  if (peer?.isOpen) await new Promise((resolve) => peer?.close(resolve));
  await pty?.close();
});

/** The scripted reader on the other end of the pty, reading and answering through serialport. */
async function readerOnPeer(path: string, reader: ScriptedReader): Promise<SerialPort> {
  const end = new SerialPort({ path, baudRate: BAUD, autoOpen: false });
  await new Promise<void>((resolve, reject) => end.open((err) => (err ? reject(err) : resolve())));
  const decoder = new FrameDecoder();
  end.on('data', (chunk: Buffer) => {
    for (const output of decoder.push(chunk)) {
      if (output.kind !== 'frame') continue;
      const answer = reader.handle(output.frame);
      if (answer !== undefined) end.write(answer);
    }
  });
  return end;
}

describe('OSDP bus over a real serial line (socat pty, serialport, the real clock)', () => {
  it('establishes a secure session and reads a card through it', async () => {
    pty = await openPtyPair();
    const pd = new ScriptedReader({ address: 1, secure: { scbk: SCBK } });
    peer = await readerOnPeer(pty.peerPath, pd);
    port = new ReaderPort({
      name: 'osdp',
      path: pty.devicePath,
      baudRate: BAUD,
      factory: realPortFactory,
      logger: silentLogger(),
      reopenIntervalMs: 50,
      livenessIntervalMs: 250,
    });
    const reader = port;
    const cards: unknown[] = [];
    const tampered: unknown[] = [];
    bus = createOsdpBus({
      readers: [{ address: 1, name: 'front', secure: 'on', scbk: SCBK }],
      write: writeToPort(port),
      logger: silentLogger(),
      // The specification's 200 ms is met by a reader's firmware; here the "reader" is a Node
      // process sharing two loaded cores with the test runner, so it gets more room.
      replyTimeoutMs: 1000,
    });
    bus.on('card', (card) => cards.push(card));
    bus.on('tampered', (info) => tampered.push(info));
    connectBusToPort(bus, port);
    port.start();
    await waitFor(() => reader.isOnline, 'the serial port open');
    bus.start();
    const live = bus;
    await waitFor(() => live.isOnline(1), 'the reader online, secured', 20_000);
    expect(pd.secured).toBe(true);
    pd.toReport.push({ kind: 'RAW', read: CARD });
    await waitFor(() => cards.length === 1, 'the card read', 20_000);
    expect(cards).toEqual([{ address: 1, read: CARD }]);
    expect(tampered).toEqual([]);
  }, 60_000);
});
