import type { EventEmitter } from 'node:events';
import type { KeypadEntry } from './serial/keypad-line.js';
import type { ReaderGarbled } from './serial/garbled.js';
import type { ReaderOffline } from './serial/reader-port.js';

/**
 * What the cabinet needs from its badge reader, whatever the reader speaks: the serial readers
 * (drivers/serial/badge-reader.ts: RDM6300, ASCII lines) and an OSDP reader on its bus
 * (drivers/osdp/osdp-badge-reader.ts) both are one. The daemon holds this, not a class, so a
 * new protocol adds a driver and nothing above it changes.
 */
export interface BadgeRead {
  card: string;
}

/** The reader reports being tampered with, or that it no longer is. */
export interface ReaderTampered {
  /** True while the tamper lasts; false once the reader reports it normal again. */
  active: boolean;
  /** What it was (the tamper switch, a broken Secure Channel); never a card number or key. */
  reason: string;
}

export interface BadgeSourceEvents {
  /** One per card presentation (a card held in the field is one read). */
  badge: [read: BadgeRead];
  /** A keypad entry on the reader (keypad-line.ts's KeypadEntry). */
  keypad: [entry: KeypadEntry];
  /** A read that could not be used: its reason only (the bytes can hold a card number). */
  garbled: [info: ReaderGarbled];
  online: [];
  offline: [info: ReaderOffline];
  /** Only readers that can tell (OSDP): a serial line has no tamper switch to report. */
  tampered: [info: ReaderTampered];
}

export interface BadgeSource extends EventEmitter<BadgeSourceEvents> {
  readonly isOnline: boolean;
}
