import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ControlPanelHandshake,
  type HandshakeBody,
} from '../../../../drivers/osdp/channel-handshake.js';
import { encodeCommand, type Command } from '../../../../drivers/osdp/commands.js';
import {
  encodeFrame,
  nextSequence,
  type Frame,
  type Sequence,
} from '../../../../drivers/osdp/frame.js';
import { FrameDecoder } from '../../../../drivers/osdp/frame-decoder.js';
import { readReply } from '../../../../drivers/osdp/read-frame.js';
import type { SecureSession } from '../../../../drivers/osdp/secure-session.js';
import { SimulatedOsdpBus, SimulatedOsdpReader } from '../../../../drivers/osdp/sim/index.js';
import { openPtyPair, type PtyPair } from '../../../support/pty-pair.js';
import { waitFor } from '../../../support/wait-for.js';
import { bytes } from '../helpers/hex.js';

/**
 * The simulated bus behind a real pty, through the real serialport package on both ends: the
 * way the control panel's integration tests will reach it (they open the device end).
 */
let pair: PtyPair;
let simPort: SerialPort;
let cpPort: SerialPort;
let detach: () => void;
let bus: SimulatedOsdpBus;
let reader: SimulatedOsdpReader;
const frames: Frame[] = [];

function open(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

function close(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

beforeEach(async () => {
  pair = await openPtyPair();
  reader = new SimulatedOsdpReader({ address: 3 });
  bus = new SimulatedOsdpBus([reader, new SimulatedOsdpReader({ address: 4 })]);
  simPort = await open(pair.peerPath);
  detach = bus.attachToPort(simPort);
  cpPort = await open(pair.devicePath);
  const decoder = new FrameDecoder();
  frames.length = 0;
  cpPort.on('data', (chunk: Buffer) => {
    for (const output of decoder.push(chunk))
      if (output.kind === 'frame') frames.push(output.frame);
  });
});

afterEach(async () => {
  detach();
  await close(cpPort);
  await close(simPort);
  await pair.close();
});

let sequence: Sequence = 0;

/** Writes one frame on the control panel's end; the reply frame that comes back. */
async function exchange(frameBytes: Buffer): Promise<Frame> {
  const from = frames.length;
  cpPort.write(frameBytes);
  await waitFor(() => frames.length > from, 'a reply over the pty');
  sequence = nextSequence(sequence);
  return frames[from]!;
}

const plain = (
  address: number,
  body: { code: number; data: Uint8Array; security?: HandshakeBody['security'] },
) => encodeFrame({ address, reply: false, sequence, integrity: 'crc', ...body });

const sealed = (session: SecureSession, command: Command) =>
  session.seal({ address: 3, sequence, integrity: 'crc', ...encodeCommand(command) });

describe('the simulated bus over a socat pty pair', () => {
  it('a secure session, a card read and a KEYSET, through serialport on both ends', async () => {
    sequence = 0;
    expect((await exchange(plain(3, encodeCommand({ kind: 'ID' })))).code).toBe(0x45);
    const handshake = new ControlPanelHandshake({
      key: 'default',
      cpRandom: bytes('01 02 03 04 05 06 07 08'),
    });
    const scrypt = handshake.acceptClientCryptogram(
      await exchange(plain(3, handshake.challenge())),
    );
    if (!scrypt.ok) throw scrypt.error;
    const session = handshake.acceptInitialRmac(await exchange(plain(3, scrypt.value)));
    if (!session.ok) throw session.error;

    reader.presentCard({ format: 'H10301', facility: 12, card: 34567 });
    const card = readReply(await exchange(sealed(session.value, { kind: 'POLL' })), session.value);
    expect(card.ok && card.value.kind === 'RAW' && card.value.read.data).toEqual(
      bytes('86 43 83 c0'),
    );

    const key = bytes('00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff');
    const keyset = readReply(
      await exchange(sealed(session.value, { kind: 'KEYSET', keyType: 1, key })),
      session.value,
    );
    expect(keyset).toEqual({ ok: true, value: { kind: 'ACK' } });
    expect(reader.installMode).toBe(false);
  });

  it('two readers on the line: each answers its own address only', async () => {
    sequence = 0;
    const first = await exchange(plain(4, encodeCommand({ kind: 'POLL' })));
    sequence = 0;
    const second = await exchange(plain(3, encodeCommand({ kind: 'POLL' })));
    expect([first.address, second.address]).toEqual([4, 3]);
    expect(frames.map((f) => f.address)).toEqual([4, 3]);
  });
});
