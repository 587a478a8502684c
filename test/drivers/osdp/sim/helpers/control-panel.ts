import {
  ControlPanelHandshake,
  type ControlPanelHandshakeOptions,
} from '../../../../../drivers/osdp/channel-handshake.js';
import { encodeCommand, type Command } from '../../../../../drivers/osdp/commands.js';
import {
  encodeFrame,
  nextSequence,
  type Frame,
  type Integrity,
  type Sequence,
} from '../../../../../drivers/osdp/frame.js';
import { FrameDecoder } from '../../../../../drivers/osdp/frame-decoder.js';
import type { Checked } from '../../../../../drivers/osdp/osdp-error.js';
import { readReply } from '../../../../../drivers/osdp/read-frame.js';
import type { Reply } from '../../../../../drivers/osdp/replies.js';
import type { SecureSession } from '../../../../../drivers/osdp/secure-session.js';

/**
 * The control panel's side, made of the core alone, to drive a simulated reader in tests: it
 * encodes commands (sealed when a session is given), hands the bytes to whatever receives bus
 * bytes, and decodes what comes back on the line. It does none of the link's work (timeouts,
 * retries): each test says what it sends.
 */
export interface BusEnd {
  receive(bytes: Uint8Array): void;
  on(event: 'transmit', listener: (bytes: Buffer) => void): unknown;
}

export interface Sent {
  /** Everything put on the line in answer, concatenated. */
  bytes: Buffer;
  /** Each transmission as it came. */
  transmissions: Buffer[];
  frames: Frame[];
}

export class TestControlPanel {
  readonly line: Buffer[] = [];
  sequence: Sequence = 0;

  constructor(
    private readonly target: BusEnd,
    public address: number,
    public integrity: Integrity = 'crc',
  ) {
    target.on('transmit', (bytes) => this.line.push(Buffer.from(bytes)));
  }

  /** The bytes of a command frame with the next sequence number (0 first). */
  frame(command: Command, session?: SecureSession, address = this.address): Buffer {
    const fields = {
      address,
      sequence: this.sequence,
      integrity: this.integrity,
      ...encodeCommand(command),
    };
    return session === undefined ? encodeFrame({ ...fields, reply: false }) : session.seal(fields);
  }

  /** Sends bytes and returns what the line carried back (synchronously, with no delay fault). */
  send(bytes: Uint8Array): Sent {
    const from = this.line.length;
    this.target.receive(bytes);
    return this.collect(from);
  }

  /** Sends a command with the current sequence number, then moves to the next one. */
  command(command: Command, session?: SecureSession, address = this.address): Sent {
    const sent = this.send(this.frame(command, session, address));
    this.sequence = nextSequence(this.sequence);
    return sent;
  }

  /** The one reply frame of a command, read as a typed reply (through the session if any). */
  ask(command: Command, session?: SecureSession): Checked<Reply> {
    const sent = this.command(command, session);
    const [frame] = sent.frames;
    if (sent.frames.length !== 1 || frame === undefined) {
      throw new Error(`expected one reply frame, got ${sent.frames.length}`);
    }
    return readReply(frame, session);
  }

  /** The handshake, in sequence; the session or what refused it. */
  establish(key: ControlPanelHandshakeOptions['key'], cpRandom: Uint8Array): SecureSession {
    const handshake = new ControlPanelHandshake({ key, cpRandom });
    const ccrypt = this.handshakeStep(handshake.challenge());
    const scrypt = handshake.acceptClientCryptogram(ccrypt);
    if (!scrypt.ok) throw scrypt.error;
    const rmac = this.handshakeStep(scrypt.value);
    const session = handshake.acceptInitialRmac(rmac);
    if (!session.ok) throw session.error;
    return session.value;
  }

  /** Sends a handshake body; the reply frame. */
  handshakeStep(body: { code: number; data: Uint8Array; security: Frame['security'] }): Frame {
    const sent = this.send(
      encodeFrame({
        address: this.address,
        reply: false,
        sequence: this.sequence,
        integrity: this.integrity,
        code: body.code,
        data: body.data,
        ...(body.security === undefined ? {} : { security: body.security }),
      }),
    );
    this.sequence = nextSequence(this.sequence);
    const [frame] = sent.frames;
    if (frame === undefined) throw new Error('no reply to a handshake step');
    return frame;
  }

  /** What arrived on the line since `from`, decoded. */
  collect(from = 0): Sent {
    const transmissions = this.line.slice(from);
    const bytes = Buffer.concat(transmissions);
    const frames = new FrameDecoder()
      .push(bytes)
      .flatMap((o) => (o.kind === 'frame' ? [o.frame] : []));
    return { bytes, transmissions, frames };
  }
}
