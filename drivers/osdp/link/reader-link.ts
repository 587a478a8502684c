import type { DriverLogger } from '../../logger.js';
import { ControlPanelHandshake, type HandshakeBody } from '../channel-handshake.js';
import { ReplyCode } from '../codes.js';
import { encodeCommand, type Command } from '../commands.js';
import { encodeFrame, nextSequence, type Frame, type Integrity, type Sequence } from '../frame.js';
import { OsdpError } from '../osdp-error.js';
import { readReply } from '../read-frame.js';
import { summariseCapabilities, type CapabilitySummary, type Reply } from '../replies.js';
import type { SecureSession } from '../secure-session.js';
import type { OsdpBusEvents, OsdpReaderSpec } from './bus-api.js';
import type { Exchange, ExchangePurpose } from './exchange.js';
import { PendingSends } from './pending-sends.js';

/**
 * One reader's side of the bus: what to send it next, and what its replies mean. The bus
 * (bus.ts) decides whose turn it is, writes the bytes, times the reply out and checks that a
 * frame answers the outstanding command; this decides the rest:
 *
 *   ID → CAP → [CHLNG → SCRYPT → (install mode, reader on SCBK-D: KEYSET → CHLNG → SCRYPT)] → POLL…
 *
 * with callers' commands (`send`) taking a POLL's place when the reader is ready. A restart
 * (first contact, an outage, a lost session, a command abandoned after its resends) begins
 * again at ID with sequence number 0, which tells the reader to forget the previous
 * conversation and, in a reader that had one, its secure session.
 */

/** One command is sent at most this many times (the first and two resends) before giving up. */
export const MAX_ATTEMPTS = 3;
/** After a failed handshake or a broken session, the next try waits this long, doubling… */
export const RETRY_BASE_MS = 1000;
/** …up to this, so a reader with the wrong key, or someone forging frames, costs little. */
export const RETRY_MAX_MS = 30_000;
/** A session that ran this long resets the doubling: its trouble was not a streak. */
export const STABLE_SESSION_MS = 30_000;
/** A command the reader answered BUSY to goes again, at most this many times. */
export const BUSY_LIMIT = 5;

const NAK_SEQUENCE = 4;

export type EmitBusEvent = <K extends keyof OsdpBusEvents>(
  event: K,
  ...args: OsdpBusEvents[K]
) => void;

export interface LinkContext {
  emit: EmitBusEvent;
  log: DriverLogger;
  random(length: number): Uint8Array;
  now(): number;
  /** The reader answered COMSET: it now listens at `to` (and, once the port follows, `baudRate`). */
  moved(link: ReaderLink, from: number, to: number, baudRate: number): void;
}

type KeyChoice = 'default' | 'own';

type Step =
  | { name: 'id' }
  | { name: 'cap' }
  | { name: 'challenge'; key: KeyChoice; handshake: ControlPanelHandshake }
  | {
      name: 'server-cryptogram';
      key: KeyChoice;
      handshake: ControlPanelHandshake;
      body: HandshakeBody;
    }
  | { name: 'keyset' }
  | { name: 'ready' };

export class ReaderLink {
  address: number;
  /** Announced online (and not offline since). */
  online = false;
  /** This outage was announced: 'offline' is emitted once per outage. */
  offlineAnnounced = false;
  /** When the reader last gave a usable reply (ready, secured when its mode says so). */
  lastUsableAt: number;
  /** The last command sent was answered; false after a timeout (see takesTurn). */
  answeredLast = true;
  readonly sends = new PendingSends();

  private step: Step = { name: 'id' };
  private sequence: Sequence = 0;
  private restartSequence = true;
  private repeatSequence = false;
  private integrity: Integrity = 'crc';
  private session: SecureSession | undefined;
  private summary: CapabilitySummary | undefined;
  /** The exchange sent and not yet answered (resent on the reader's next turn). */
  private current: Exchange | undefined;
  private waitUntil = 0;
  private troubles = 0;
  private readySince: number | undefined;
  /** KEYSET was acknowledged: the next session on the reader's own key completes the keying. */
  private keying = false;
  /**
   * The reader proved it holds its own key (a session on it) since the bus was made. From then
   * on install mode never falls back to SCBK-D for it: someone on the line who makes our
   * handshake fail and then accepts SCBK-D in the reader's place would otherwise receive the
   * own key in a KEYSET encrypted under a key anyone can derive.
   */
  private ownKeyProven = false;
  private busyCount = 0;
  private lastStatus: { tamper: boolean; powerFailure: boolean } | undefined;
  private readonly log: DriverLogger;

  constructor(
    readonly spec: OsdpReaderSpec,
    private readonly ctx: LinkContext,
  ) {
    this.address = spec.address;
    this.lastUsableAt = ctx.now();
    this.log = ctx.log.child({ reader: spec.name, address: spec.address });
  }

  get secured(): boolean {
    return this.session !== undefined;
  }

  /**
   * Whether the reader gets a turn in this cycle. A reader announced offline is probed only
   * every `probeEvery` cycles, so a dead reader costs the others one reply timeout now and
   * then instead of every cycle (OSDP.Net #85); once it answers, it gets every turn again
   * until it is set up.
   */
  takesTurn(cycle: number, probeEvery: number): boolean {
    return !this.offlineAnnounced || this.answeredLast || cycle % probeEvery === 0;
  }

  /** The command to send on this turn (the unanswered one again, if any), or none yet. */
  next(now: number): Exchange | undefined {
    if (this.current !== undefined) {
      this.current.attempts += 1;
      return this.current;
    }
    if (now < this.waitUntil) return undefined;
    const planned = this.plan();
    const sequence: Sequence = this.restartSequence
      ? 0
      : this.repeatSequence
        ? this.sequence
        : nextSequence(this.sequence);
    this.restartSequence = false;
    this.repeatSequence = false;
    this.sequence = sequence;
    const exchange: Exchange = {
      address: this.address,
      sequence,
      bytes: planned.encode(sequence),
      name: planned.name,
      purpose: planned.purpose,
      attempts: 1,
    };
    if (planned.send !== undefined) exchange.send = planned.send;
    this.current = exchange;
    return exchange;
  }

  /** No valid reply within the reply timeout. */
  timedOut(exchange: Exchange, now: number): void {
    this.answeredLast = false;
    if (exchange.attempts < MAX_ATTEMPTS) return;
    // Given up. Whether the reader took the command cannot be known (its reply may be what was
    // lost), and a secured reader's MAC chain moved if it did: start the conversation again.
    this.current = undefined;
    exchange.send?.reject(
      new OsdpError(
        'NO_REPLY',
        `reader ${this.spec.name} (address ${this.address}) gave no valid reply to ${exchange.name} after ${MAX_ATTEMPTS} tries`,
        { address: this.address },
      ),
    );
    this.log.debug({ command: exchange.name }, 'no reply after resends: link restarts');
    this.restart(now, 0);
  }

  /** A frame the bus checked answers `exchange` (address, reply flag, sequence number). */
  answer(frame: Frame, exchange: Exchange, now: number): void {
    this.current = undefined;
    this.answeredLast = true;
    const step = this.step;
    if (step.name === 'challenge') return this.onClientCryptogram(step, frame, now);
    if (step.name === 'server-cryptogram') return this.onInitialRmac(step, frame, now);
    const reply = this.read(frame, exchange, now);
    if (reply === undefined) return;
    if (reply.kind === 'NAK' && reply.reasonCode === NAK_SEQUENCE) {
      // The reader and we disagree on the sequence (it restarted, or a command was given up):
      // the conversation starts again from 0.
      this.log.warn('reader refused our sequence number: link restarts');
      exchange.send?.resolve(reply);
      this.restart(now, 0);
      return;
    }
    switch (step.name) {
      case 'id':
        // Any valid answer will do: the identity is logged, the capabilities matter.
        if (reply.kind === 'PDID')
          this.log.info({ identity: describeIdentity(reply) }, 'reader identified');
        this.integrity = frame.integrity;
        this.step = { name: 'cap' };
        return;
      case 'cap':
        this.integrity = frame.integrity;
        return this.afterCapabilities(reply, now);
      case 'keyset':
        return this.afterKeyset(reply, now);
      case 'ready':
        return this.onReady(reply, exchange, now);
    }
  }

  /** 'offline' once per outage; pending commands are rejected and the link starts over. */
  goOffline(reason: string, now: number): void {
    if (this.offlineAnnounced) return;
    this.online = false;
    this.offlineAnnounced = true;
    const why = `reader ${this.spec.name} (address ${this.address}) is offline: ${reason}`;
    this.current?.send?.reject(new OsdpError('READER_OFFLINE', why, { address: this.address }));
    this.current = undefined;
    this.sends.rejectAll('READER_OFFLINE', why, this.address);
    this.log.warn({ reason }, 'reader offline');
    this.ctx.emit('offline', { address: this.address, reason });
    this.restart(now, 0);
  }

  /** The bus stopped: everything pending is rejected. */
  abort(message: string): void {
    this.current?.send?.reject(new OsdpError('BUS_STOPPED', message, { address: this.address }));
    this.current = undefined;
    this.sends.rejectAll('BUS_STOPPED', message, this.address);
  }

  /** Start the conversation over (ID, sequence 0), after `delayMs`. */
  restart(now: number, delayMs: number): void {
    this.step = { name: 'id' };
    this.session = undefined;
    this.restartSequence = true;
    this.repeatSequence = false;
    this.readySince = undefined;
    this.waitUntil = now + delayMs;
    if (this.current?.send !== undefined) this.sends.putBack(this.current.send);
    this.current = undefined;
  }

  /** The bus (re)started, or its port came back: a fresh outage clock, a fresh conversation. */
  begin(now: number): void {
    this.lastUsableAt = now;
    this.troubles = 0;
    this.answeredLast = true;
    this.restart(now, 0);
  }

  private plan(): {
    name: string;
    purpose: ExchangePurpose;
    send?: Exchange['send'];
    encode(sequence: Sequence): Buffer;
  } {
    const step = this.step;
    switch (step.name) {
      case 'id':
        return this.command({ kind: 'ID' }, 'id');
      case 'cap':
        return this.command({ kind: 'CAP' }, 'cap');
      case 'challenge':
        return this.handshakeFrame(step.handshake.challenge(), 'challenge');
      case 'server-cryptogram':
        return this.handshakeFrame(step.body, 'server-cryptogram');
      case 'keyset':
        return this.command({ kind: 'KEYSET', keyType: 1, key: this.ownKey() }, 'keyset');
      case 'ready': {
        const send = this.sends.take();
        if (send === undefined) return this.command({ kind: 'POLL' }, 'poll');
        return { ...this.command(send.command, 'send'), send };
      }
    }
  }

  private command(command: Command, purpose: ExchangePurpose) {
    const body = encodeCommand(command);
    const session = this.session;
    const fields = { address: this.address, integrity: this.integrity, ...body };
    return {
      name: command.kind,
      purpose,
      encode: (sequence: Sequence) =>
        session === undefined
          ? encodeFrame({ ...fields, reply: false, sequence })
          : session.seal({ ...fields, sequence }),
    };
  }

  private handshakeFrame(body: HandshakeBody, purpose: ExchangePurpose) {
    return {
      name: purpose === 'challenge' ? 'CHLNG' : 'SCRYPT',
      purpose,
      encode: (sequence: Sequence) =>
        encodeFrame({
          address: this.address,
          reply: false,
          sequence,
          integrity: this.integrity,
          ...body,
        }),
    };
  }

  /**
   * The reply as a typed value, or undefined after dealing with why it cannot be one. Inside a
   * session nothing is parsed before its MAC is checked (readReply opens it first).
   */
  private read(frame: Frame, exchange: Exchange, now: number): Reply | undefined {
    const result = readReply(frame, this.session);
    if (result.ok) return result.value;
    const error = result.error;
    const sessionRefused =
      this.session !== undefined &&
      ['NOT_SECURED', 'WRONG_SECURITY_BLOCK', 'BAD_MAC', 'BAD_ENCRYPTED_DATA'].includes(error.code);
    if (!sessionRefused) {
      // Authentic (or plaintext on a plaintext link) but not a reply we can read.
      this.log.warn({ err: error }, 'unreadable reply');
      this.ctx.emit('garbled', { address: this.address, reason: error.message });
      exchange.send?.reject(error);
      return undefined;
    }
    if (frame.security === undefined && frame.code === ReplyCode.NAK) {
      // A plaintext NAK is how a reader that lost its session (it restarted, or it could not
      // check our MAC) answers: the specification has the reader drop the session and NAK.
      // It carries nothing we act on, so it is no tamper alarm, but it ends the session.
      this.log.warn(
        'reader answered NAK in plaintext: it lost its secure session, starting a new one',
      );
      this.endSession(exchange, 'the reader lost its secure session', now);
      return undefined;
    }
    this.log.warn({ err: error }, 'secured reader broke its session: reply refused, not read');
    this.ctx.emit('tampered', { address: this.address, reason: error.message });
    this.endSession(exchange, `refused reply: ${error.code}`, now);
    return undefined;
  }

  private endSession(exchange: Exchange, why: string, now: number): void {
    exchange.send?.reject(
      new OsdpError('SESSION_LOST', `reader ${this.spec.name}: ${why}`, { address: this.address }),
    );
    this.retryLater(now);
  }

  /** A new conversation after a pause that doubles with each trouble in a row. */
  private retryLater(now: number): void {
    if (this.readySince !== undefined && now - this.readySince >= STABLE_SESSION_MS) {
      this.troubles = 0;
    }
    this.troubles += 1;
    const delay = Math.min(RETRY_BASE_MS * 2 ** (this.troubles - 1), RETRY_MAX_MS);
    this.restart(now, delay);
  }

  private afterCapabilities(reply: Reply, now: number): void {
    if (reply.kind === 'PDCAP') {
      this.summary = summariseCapabilities(reply.capabilities);
      if (!this.summary.crc) this.integrity = 'checksum';
    }
    const mode = this.spec.secure;
    if (mode === 'off') return this.becomeReady(now);
    if (this.summary !== undefined && !this.summary.secureChannel) {
      this.log.error({ mode }, 'reader does not offer Secure Channel: it stays offline');
      return this.retryLater(now);
    }
    if (this.summary?.defaultKey === true) {
      if (this.mayUseDefaultKey()) return this.challenge('default');
      this.log.error(
        this.spec.secure === 'on'
          ? 'reader says it has the default key and install mode is off: it will not be re-keyed'
          : 'reader says it has the default key but proved it had its own: not re-keyed (restart the daemon to commission a replaced reader)',
      );
    }
    this.challenge('own');
  }

  private challenge(key: KeyChoice): void {
    const handshake = new ControlPanelHandshake({
      key: key === 'default' ? 'default' : this.ownKey(),
      cpRandom: this.ctx.random(8),
    });
    this.step = { name: 'challenge', key, handshake };
  }

  private onClientCryptogram(
    step: Extract<Step, { name: 'challenge' }>,
    frame: Frame,
    now: number,
  ): void {
    const result = step.handshake.acceptClientCryptogram(frame);
    if (!result.ok) return this.handshakeFailed(step.key, result.error, now);
    this.step = {
      name: 'server-cryptogram',
      key: step.key,
      handshake: step.handshake,
      body: result.value,
    };
  }

  private onInitialRmac(
    step: Extract<Step, { name: 'server-cryptogram' }>,
    frame: Frame,
    now: number,
  ): void {
    const result = step.handshake.acceptInitialRmac(frame);
    if (!result.ok) return this.handshakeFailed(step.key, result.error, now);
    this.session = result.value;
    if (step.key === 'default') {
      this.log.warn('reader holds the default key SCBK-D: moving it to its own key (install mode)');
      this.step = { name: 'keyset' };
      return;
    }
    if (step.key === 'own') this.ownKeyProven = true;
    if (this.keying) {
      this.keying = false;
      this.log.info('reader now holds its own key');
      this.ctx.emit('keyed', { address: this.address });
    }
    this.becomeReady(now);
  }

  private handshakeFailed(key: KeyChoice, error: OsdpError, now: number): void {
    if (key === 'own' && this.mayUseDefaultKey()) {
      this.log.info({ err: error }, 'handshake with the reader key failed: trying the default key');
      return this.challenge('default');
    }
    this.keying = false;
    this.log.error({ err: error }, 'secure channel handshake failed: reader stays offline');
    this.retryLater(now);
  }

  private mayUseDefaultKey(): boolean {
    return this.spec.secure === 'install' && !this.keying && !this.ownKeyProven;
  }

  private afterKeyset(reply: Reply, now: number): void {
    if (reply.kind !== 'ACK') {
      this.log.error({ reply: reply.kind }, 'reader refused KEYSET');
      return this.retryLater(now);
    }
    // The reader holds the new key from now on; the session on SCBK-D ends here.
    this.session = undefined;
    this.keying = true;
    this.challenge('own');
  }

  private becomeReady(now: number): void {
    this.step = { name: 'ready' };
    this.readySince = now;
    this.lastUsableAt = now;
    if (this.online) return;
    this.online = true;
    this.offlineAnnounced = false;
    this.log.info({ secured: this.secured }, 'reader online');
    this.ctx.emit('online', { address: this.address, secured: this.secured });
  }

  private onReady(reply: Reply, exchange: Exchange, now: number): void {
    this.lastUsableAt = now;
    const send = exchange.send;
    if (send !== undefined) {
      if (reply.kind === 'BUSY' && this.busyCount < BUSY_LIMIT) {
        // The reader did not take it: the same command again, with the same sequence number.
        this.busyCount += 1;
        this.sends.putBack(send);
        this.repeatSequence = true;
        return;
      }
      this.busyCount = 0;
      if (reply.kind === 'COM' && send.command.kind === 'COMSET') {
        const from = this.address;
        this.address = reply.address;
        this.log.warn({ to: reply.address, baudRate: reply.baudRate }, 'reader moved (COMSET)');
        this.ctx.moved(this, from, reply.address, reply.baudRate);
        // A new address (and speed): the conversation starts again there.
        this.restart(now, 0);
      }
      send.resolve(reply);
      return;
    }
    switch (reply.kind) {
      case 'RAW':
        this.ctx.emit('card', { address: this.address, read: reply.read });
        return;
      case 'KEYPAD':
        this.ctx.emit('keypad', { address: this.address, reader: reply.reader, keys: reply.keys });
        return;
      case 'LSTATR': {
        const status = { tamper: reply.tamper, powerFailure: reply.powerFailure };
        const last = this.lastStatus;
        this.lastStatus = status;
        if (last?.tamper === status.tamper && last.powerFailure === status.powerFailure) return;
        this.ctx.emit('status', { address: this.address, ...status });
        return;
      }
      case 'ACK':
      case 'BUSY':
        return;
      case 'NAK':
        this.log.debug({ reason: reply.reason }, 'reader answered NAK to POLL');
        return;
      default:
        this.log.debug({ reply: reply.kind }, 'unexpected reply to POLL: ignored');
    }
  }

  private ownKey(): Uint8Array {
    const key = this.spec.scbk;
    // createOsdpBus refuses a secured reader without its key, so this never throws at run time.
    if (key === undefined) {
      throw new OsdpError('INVALID_ARGUMENT', `reader ${this.spec.name} has no scbk`, {
        field: 'scbk',
      });
    }
    return key;
  }
}

function describeIdentity(reply: Extract<Reply, { kind: 'PDID' }>): Record<string, unknown> {
  const { identity } = reply;
  return {
    vendor: Buffer.from(identity.vendorCode).toString('hex'),
    model: identity.model,
    version: identity.version,
    serialNumber: identity.serialNumber,
    firmware: `${identity.firmware.major}.${identity.firmware.minor}.${identity.firmware.build}`,
  };
}
