import { hasMac, SecurityBlockType } from './codes.js';
import {
  encodeFrame,
  MAC_LENGTH,
  type Frame,
  type FrameEncoding,
  type FrameFields,
} from './frame.js';
import { accepted, hex2, OsdpError, refused, type Checked } from './osdp-error.js';
import {
  computeMac,
  decryptData,
  encryptData,
  sameBytes,
  type SessionKeys,
} from './secure-channel.js';

/**
 * A running Secure Channel session between the control panel and one reader: it seals the
 * frames this side sends (MAC, and encryption of any data) and opens the frames it receives,
 * refusing before any parsing a frame whose MAC does not continue the chain.
 *
 * The chain: each MAC is computed with the previous MAC of the other direction as IV (the first
 * command's IV is R-MAC-I), and a frame's data is encrypted with that IV's complement. So a
 * replayed or reordered frame, or a frame from someone without the session keys, fails its MAC.
 *
 * Sealing is deterministic: sealing the same command again after its reply was lost gives the
 * same bytes, which is what a resend must be (the reader answers a repeated sequence number with
 * its previous reply). Sending a different command instead breaks the chain on the reader's side.
 *
 * One frame is opened per frame sent: a second on the same IV (a copy injected on the bus before
 * this side sends again) is refused. A frame refused for its MAC or its security block leaves
 * the chain as it was; one whose MAC is right but whose encrypted data is not moves it (the
 * sender's chain did). What to do next
 * (OSDP: start a new handshake) is the link's decision. A plaintext frame in a session is refused too (NOT_SECURED):
 * a reader that lost its session answers so, typically NAK; the error carries the frame's code
 * for the link to tell a NAK from anything else, but a card read in plaintext is never parsed.
 */
export type SessionRole = 'control-panel' | 'reader';

export interface OpenedFrame {
  code: number;
  /** Decrypted. */
  data: Uint8Array;
  /** False when the sender sent its data in clear under a MAC (SCS 0x15/0x16 with data). */
  encrypted: boolean;
}

export type SealFields = Omit<FrameFields, 'security' | 'reply'>;

export class SecureSession {
  /** This side's last full MAC (the IV of the next frame we receive). */
  private lastSent: Uint8Array | undefined;
  /** The other side's last full MAC (the IV of the next frame we send). */
  private lastReceived: Uint8Array | undefined;

  constructor(
    readonly role: SessionRole,
    private readonly keys: SessionKeys,
    initialRmac: Uint8Array,
  ) {
    // R-MAC-I is the reader's first "reply MAC": the control panel's first command chains on it.
    if (role === 'control-panel') this.lastReceived = Uint8Array.from(initialRmac);
    else this.lastSent = Uint8Array.from(initialRmac);
  }

  /** The bytes of a secured frame: MAC always, data encrypted when there is any. */
  seal(fields: SealFields, encoding: Pick<FrameEncoding, 'mark'> = {}): Buffer {
    const iv = this.lastReceived;
    if (iv === undefined) {
      throw new OsdpError(
        'INVALID_ARGUMENT',
        'a reader seals a reply only after opening a command',
      );
    }
    const commandSide = this.role === 'control-panel';
    const encrypt = fields.data.length > 0;
    const type = commandSide
      ? encrypt
        ? SecurityBlockType.COMMAND_MAC_ENCRYPTED
        : SecurityBlockType.COMMAND_MAC
      : encrypt
        ? SecurityBlockType.REPLY_MAC_ENCRYPTED
        : SecurityBlockType.REPLY_MAC;
    let mac: Uint8Array | undefined;
    const bytes = encodeFrame(
      {
        ...fields,
        reply: !commandSide,
        security: { type, data: new Uint8Array(0) },
        data: encrypt ? encryptData(this.keys.sEnc, iv, fields.data) : fields.data,
      },
      {
        ...encoding,
        mac: (covered) => {
          mac = computeMac(this.keys, iv, covered);
          return mac;
        },
      },
    );
    this.lastSent = mac;
    return bytes;
  }

  /** The code and plain data of a received secured frame, or why it is refused. */
  open(frame: Frame): Checked<OpenedFrame> {
    const from = `${frame.reply ? 'reply' : 'command'} ${hex2(frame.code)} from address ${frame.address}`;
    const where = { address: frame.address, code: frame.code };
    const type = frame.security?.type;
    if (type === undefined || !hasMac(type) || frame.mac === undefined) {
      return refused(
        new OsdpError('NOT_SECURED', `${from} has no MAC: refused in a secure session`, where),
      );
    }
    const expectCommands = this.role === 'reader';
    const isCommandType =
      type === SecurityBlockType.COMMAND_MAC || type === SecurityBlockType.COMMAND_MAC_ENCRYPTED;
    if (isCommandType !== expectCommands || frame.reply === expectCommands) {
      return refused(
        new OsdpError(
          'WRONG_SECURITY_BLOCK',
          `${from} carries security block ${hex2(type)}, not one the ${this.role === 'reader' ? 'control panel' : 'reader'} sends`,
          where,
        ),
      );
    }
    const iv = this.lastSent;
    if (iv === undefined) {
      return refused(
        new OsdpError(
          'WRONG_SECURITY_BLOCK',
          `${from} answers nothing: the last frame sent was already answered, or none was sent yet`,
          where,
        ),
      );
    }
    const checkLength = frame.integrity === 'crc' ? 2 : 1;
    const covered = frame.bytes.subarray(0, frame.bytes.length - checkLength - MAC_LENGTH);
    const mac = computeMac(this.keys, iv, covered);
    if (!sameBytes(mac.subarray(0, MAC_LENGTH), frame.mac)) {
      return refused(new OsdpError('BAD_MAC', `${from} has a wrong MAC: refused, not read`, where));
    }
    // Authentic: the sender's chain moved on, so ours does, whatever the data turns out to be.
    this.lastReceived = mac;
    // One frame answers each frame sent: a copy injected on the bus before this side sends
    // again would otherwise open on the same IV (a card read, a command, taken twice).
    this.lastSent = undefined;
    const encrypted =
      type === SecurityBlockType.COMMAND_MAC_ENCRYPTED ||
      type === SecurityBlockType.REPLY_MAC_ENCRYPTED;
    if (!encrypted || frame.data.length === 0) {
      return accepted({ code: frame.code, data: frame.data, encrypted: false });
    }
    const plain = decryptData(this.keys.sEnc, iv, frame.data);
    if (!plain.ok) {
      return refused(new OsdpError('BAD_ENCRYPTED_DATA', `${from}: ${plain.error.message}`, where));
    }
    return accepted({ code: frame.code, data: plain.value, encrypted: true });
  }
}
