import type { EventEmitter } from 'node:events';
import type { DriverLogger } from '../../logger.js';
import type { Command } from '../commands.js';
import type { RawCardRead, Reply } from '../replies.js';

/**
 * What the control panel's bus (the link layer over the pure core) offers to the rest of the
 * cabinet. It is written down before the bus itself so the bus and the badge-reader adapter
 * built on it can be written side by side; the bus in this folder implements it.
 */

/** How a reader's link is secured. */
export type SecureMode =
  /** Plaintext only (a reader without Secure Channel, or a bench). */
  | 'off'
  /**
   * Secured with the reader's own key; if the reader answers with the default key SCBK-D
   * (factory state), secure with SCBK-D once and move it to `scbk` with KEYSET. Only when the
   * profile allows install mode.
   */
  | 'install'
  /** Secured with `scbk` only: a reader that cannot do so stays offline, and is never re-keyed. */
  | 'on';

export interface OsdpReaderSpec {
  /** 0–126 (0x7F is broadcast). */
  address: number;
  /** For logs and events ("front", "badge"). */
  name: string;
  secure: SecureMode;
  /** The reader's Secure Channel Base Key (16 bytes); required unless `secure` is 'off'. */
  scbk?: Uint8Array;
}

/** The clock and timers the bus runs on, so tests drive it with a fake clock. */
export interface BusClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OsdpBusEvents {
  /** A card was read: the raw bit string, for the profile's card format to decode. */
  card: [read: { address: number; read: RawCardRead }];
  /** Keys typed on the reader's keypad ('0'-'9', '*', '#'). */
  keypad: [entry: { address: number; reader: number; keys: string }];
  /** A valid reply after the reader was offline (or first seen), secured if its mode says so. */
  online: [info: { address: number; secured: boolean }];
  /** No valid reply for 8 s (or the port went away); `reason` says which. */
  offline: [info: { address: number; reason: string }];
  /** LSTATR changed: the reader's tamper switch or its power. */
  status: [info: { address: number; tamper: boolean; powerFailure: boolean }];
  /**
   * A secured reader answered in plaintext, with a bad MAC, a replayed or out-of-sequence MAC
   * chain, or otherwise broke its session: the reply was not parsed. The bus re-establishes the
   * session; whoever listens raises the alarm.
   */
  tampered: [info: { address: number; reason: string }];
  /** KEYSET succeeded: the reader now holds the cabinet's own key (install mode). */
  keyed: [info: { address: number }];
  /** Bytes or frames that could not be used (garbage, bad CRC, a reply nobody asked for). */
  garbled: [info: { address?: number; reason: string }];
  /**
   * (Added with the bus.) A reader answered COMSET with COM: from now on the bus talks to it at
   * `to`, and `send`/`isOnline` take the new address. When `baudRate` differs from the port's,
   * the caller reopens the port at it (see changeReaderComms in comset.ts).
   */
  readdressed: [info: { from: number; to: number; baudRate: number }];
}

export interface OsdpBus extends EventEmitter<OsdpBusEvents> {
  /** Begin polling every reader in turn. */
  start(): void;
  /** Stop polling; pending `send`s reject. */
  stop(): void;
  /** Bytes that arrived from the bus (the serial port's data). */
  receive(bytes: Uint8Array): void;
  /** The port closed or reopened: every reader is offline until it answers again. */
  portOffline(reason: string): void;
  portOnline(): void;
  /**
   * Send one command to one reader between polls (LED, BUZ, TEXT, OUT, COMSET, …) and get its
   * reply (a NAK is a reply: the caller decides what it means). Rejects with an OsdpError when
   * the reader is offline, gives no valid reply after the resends, or the bus stops. Commands
   * for one reader go in the order given.
   */
  send(address: number, command: Command): Promise<Reply>;
  isOnline(address: number): boolean;
}

/** What it takes to make a bus (`createOsdpBus` in this folder). */
export interface OsdpBusOptions {
  readers: readonly OsdpReaderSpec[];
  /** Puts bytes on the bus (the serial port's write). */
  write(bytes: Uint8Array): void;
  logger: DriverLogger;
  /** Defaults to the process's monotonic clock and timers. */
  clock?: BusClock;
  /** Defaults to node:crypto's randomBytes (the Secure Channel's CP random). */
  random?: (length: number) => Uint8Array;
  /** How long to wait for a reply; 200 ms by the specification. */
  replyTimeoutMs?: number;
  /** Offline after this long without a valid reply; 8000 ms by the specification. */
  offlineAfterMs?: number;
  /**
   * (Added with the bus.) Each reader is polled at most this often: a cycle over all readers
   * starts no sooner than this after the previous one started. 50 ms by default.
   */
  pollIntervalMs?: number;
}
