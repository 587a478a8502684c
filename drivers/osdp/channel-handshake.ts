import { CommandCode, ReplyCode, SecurityBlockType } from './codes.js';
import { decodeCommand } from './commands.js';
import type { Frame, SecurityBlock } from './frame.js';
import { accepted, hex2, OsdpError, refused, type Checked } from './osdp-error.js';
import { decodeReply, nakReason } from './replies.js';
import {
  CLIENT_UID_LENGTH,
  clientCryptogram,
  deriveSessionKeys,
  initialRmac,
  RANDOM_LENGTH,
  sameBytes,
  SCBK_D,
  serverCryptogram,
  type SessionKeys,
} from './secure-channel.js';
import { SecureSession } from './secure-session.js';

/**
 * The Secure Channel handshake, both sides, over frames the link sends and receives:
 *
 *   control panel                         reader
 *   CHLNG  [SCB 11 key] RND.A       →
 *                                    ←    CCRYPT [SCB 12 key] cUID, RND.B, client cryptogram
 *   SCRYPT [SCB 13 key] server crypt. →
 *                                    ←    RMAC_I [SCB 14 ok] R-MAC-I
 *
 * `key` is 0 for the published default SCBK-D (install mode: only when the profile allows it),
 * 1 for the reader's own SCBK. The control panel checks the reader's cryptogram before it
 * proves its own, and R-MAC-I before it trusts the session. The random numbers come from the
 * caller (crypto.randomBytes in the link, fixed vectors in tests): this module does no I/O.
 */
export interface HandshakeBody {
  code: number;
  data: Uint8Array;
  security: SecurityBlock;
}

const KEY_DEFAULT = 0x00;
const KEY_SCBK = 0x01;
const RMAC_I_ACCEPTED = 0x01;

export interface ControlPanelHandshakeOptions {
  /** 'default' = SCBK-D (install mode); or the reader's SCBK, or how to derive it from its cUID. */
  key: 'default' | Uint8Array | ((clientUid: Uint8Array) => Uint8Array);
  /** RND.A: 8 fresh random bytes. */
  cpRandom: Uint8Array;
}

export class ControlPanelHandshake {
  private readonly keyByte: number;
  private pending: { keys: SessionKeys; rmacI: Uint8Array } | undefined;

  constructor(private readonly options: ControlPanelHandshakeOptions) {
    if (options.cpRandom.length !== RANDOM_LENGTH) {
      throw new OsdpError('INVALID_ARGUMENT', 'the control panel random must be 8 bytes', {
        field: 'cpRandom',
      });
    }
    this.keyByte = options.key === 'default' ? KEY_DEFAULT : KEY_SCBK;
  }

  /** Step 1: the CHLNG to send. */
  challenge(): HandshakeBody {
    return {
      code: CommandCode.CHLNG,
      data: Uint8Array.from(this.options.cpRandom),
      security: { type: SecurityBlockType.BEGIN, data: Uint8Array.of(this.keyByte) },
    };
  }

  /** Step 2: the reader's CCRYPT checked; the SCRYPT to send. */
  acceptClientCryptogram(frame: Frame): Checked<HandshakeBody> {
    const refusal = expectReply(
      frame,
      ReplyCode.CCRYPT,
      SecurityBlockType.CLIENT_CRYPTOGRAM,
      'CCRYPT',
    );
    if (refusal !== undefined) return refused(refusal);
    const reply = decodeReply(frame.code, frame.data);
    if (!reply.ok) return reply;
    if (reply.value.kind !== 'CCRYPT') return refused(failed(frame, 'is not a CCRYPT'));
    const { clientUid, pdRandom, clientCryptogram: theirs } = reply.value;
    const scbk = this.scbkFor(clientUid);
    const keys = deriveSessionKeys(scbk, this.options.cpRandom);
    if (!sameBytes(clientCryptogram(keys.sEnc, this.options.cpRandom, pdRandom), theirs)) {
      return refused(
        failed(
          frame,
          'carries a client cryptogram that does not match our key: wrong key, or not the reader',
        ),
      );
    }
    const ours = serverCryptogram(keys.sEnc, this.options.cpRandom, pdRandom);
    this.pending = { keys, rmacI: initialRmac(keys, ours) };
    return accepted({
      code: CommandCode.SCRYPT,
      data: ours,
      security: { type: SecurityBlockType.SERVER_CRYPTOGRAM, data: Uint8Array.of(this.keyByte) },
    });
  }

  /** Step 3: the reader's RMAC_I checked; the session. */
  acceptInitialRmac(frame: Frame): Checked<SecureSession> {
    const pending = this.pending;
    if (pending === undefined) return refused(failed(frame, 'came before a valid CCRYPT'));
    const refusal = expectReply(frame, ReplyCode.RMAC_I, SecurityBlockType.INITIAL_RMAC, 'RMAC_I');
    if (refusal !== undefined) return refused(refusal);
    if (frame.security?.data[0] !== RMAC_I_ACCEPTED) {
      return refused(failed(frame, 'says the reader refused our cryptogram'));
    }
    const reply = decodeReply(frame.code, frame.data);
    if (!reply.ok) return reply;
    if (reply.value.kind !== 'RMAC_I' || !sameBytes(reply.value.rmacI, pending.rmacI)) {
      return refused(failed(frame, 'carries an R-MAC-I that does not match the session keys'));
    }
    return accepted(new SecureSession('control-panel', pending.keys, pending.rmacI));
  }

  private scbkFor(clientUid: Uint8Array): Uint8Array {
    const key = this.options.key;
    if (key === 'default') return SCBK_D;
    return typeof key === 'function' ? key(clientUid) : key;
  }
}

export interface ReaderHandshakeOptions {
  /** The reader's own SCBK, when it has one. */
  scbk?: Uint8Array;
  /** Install mode: the reader accepts the default key SCBK-D. */
  installMode: boolean;
  clientUid: Uint8Array;
  /** RND.B: 8 fresh random bytes. */
  pdRandom: Uint8Array;
}

/** The reader's side, for the PD simulator. */
export class ReaderHandshake {
  private pending: { keys: SessionKeys; cpRandom: Uint8Array } | undefined;

  constructor(private readonly options: ReaderHandshakeOptions) {
    if (
      options.pdRandom.length !== RANDOM_LENGTH ||
      options.clientUid.length !== CLIENT_UID_LENGTH
    ) {
      throw new OsdpError('INVALID_ARGUMENT', 'the reader random and client UID must be 8 bytes');
    }
  }

  /** Step 1 answered: the CCRYPT to send for a CHLNG. */
  answerChallenge(frame: Frame): Checked<HandshakeBody> {
    const refusal = expectCommand(frame, CommandCode.CHLNG, SecurityBlockType.BEGIN);
    if (refusal !== undefined) return refused(refusal);
    const keyByte = frame.security?.data[0];
    if (keyByte !== KEY_DEFAULT && keyByte !== KEY_SCBK) {
      return refused(failed(frame, 'names no key (security block data 0 or 1)'));
    }
    const scbk =
      keyByte === KEY_DEFAULT ? (this.options.installMode ? SCBK_D : undefined) : this.options.scbk;
    if (scbk === undefined) {
      return refused(
        failed(
          frame,
          keyByte === KEY_DEFAULT
            ? 'asks for SCBK-D outside install mode'
            : 'asks for a key this reader lacks',
        ),
      );
    }
    const command = decodeCommand(frame.code, frame.data);
    if (!command.ok) return command;
    if (command.value.kind !== 'CHLNG') return refused(failed(frame, 'is not a CHLNG'));
    const cpRandom = command.value.cpRandom;
    const keys = deriveSessionKeys(scbk, cpRandom);
    this.pending = { keys, cpRandom };
    return accepted({
      code: ReplyCode.CCRYPT,
      data: Buffer.concat([
        this.options.clientUid,
        this.options.pdRandom,
        clientCryptogram(keys.sEnc, cpRandom, this.options.pdRandom),
      ]),
      security: {
        type: SecurityBlockType.CLIENT_CRYPTOGRAM,
        data: Uint8Array.of(keyByte),
      },
    });
  }

  /** Step 3 answered: the RMAC_I to send for an SCRYPT, and the session it opens. */
  answerServerCryptogram(frame: Frame): Checked<{ reply: HandshakeBody; session: SecureSession }> {
    const pending = this.pending;
    if (pending === undefined) return refused(failed(frame, 'came before a CHLNG'));
    const refusal = expectCommand(frame, CommandCode.SCRYPT, SecurityBlockType.SERVER_CRYPTOGRAM);
    if (refusal !== undefined) return refused(refusal);
    const command = decodeCommand(frame.code, frame.data);
    if (!command.ok) return command;
    if (command.value.kind !== 'SCRYPT') return refused(failed(frame, 'is not an SCRYPT'));
    const expected = serverCryptogram(pending.keys.sEnc, pending.cpRandom, this.options.pdRandom);
    if (!sameBytes(expected, command.value.serverCryptogram)) {
      return refused(failed(frame, 'carries a server cryptogram that does not match our key'));
    }
    const rmacI = initialRmac(pending.keys, expected);
    return accepted({
      reply: {
        code: ReplyCode.RMAC_I,
        data: rmacI,
        security: { type: SecurityBlockType.INITIAL_RMAC, data: Uint8Array.of(RMAC_I_ACCEPTED) },
      },
      session: new SecureSession('reader', pending.keys, rmacI),
    });
  }
}

function expectReply(
  frame: Frame,
  code: number,
  blockType: number,
  name: string,
): OsdpError | undefined {
  if (frame.code === ReplyCode.NAK && frame.data.length > 0) {
    const reason = frame.data[0] ?? 0;
    return failed(frame, `is a NAK (${nakReason(reason)}) instead of ${name}`);
  }
  if (!frame.reply || frame.code !== code) return failed(frame, `is not ${name}`);
  if (frame.security?.type !== blockType)
    return failed(frame, `lacks security block ${hex2(blockType)}`);
  return undefined;
}

function expectCommand(frame: Frame, code: number, blockType: number): OsdpError | undefined {
  if (frame.reply || frame.code !== code) return failed(frame, `is not command ${hex2(code)}`);
  if (frame.security?.type !== blockType)
    return failed(frame, `lacks security block ${hex2(blockType)}`);
  return undefined;
}

function failed(frame: Frame, why: string): OsdpError {
  return new OsdpError(
    'HANDSHAKE_FAILED',
    `handshake: ${frame.reply ? 'reply' : 'command'} ${hex2(frame.code)} from address ${frame.address} ${why}`,
    { address: frame.address, code: frame.code },
  );
}
