/**
 * What a cabinet is, as the rest of Keywarden sees it once a profile has been loaded: every
 * pin normalised to a PinSpec with a stable name, every field present and checked.
 */
/** The pin as the GPIO drivers take it; the loader fills in the name. */
export type { PinSpec } from '../../drivers/gpio/gpio.js';
import type { PinSpec } from '../../drivers/gpio/gpio.js';

import type { READER_PROTOCOLS } from './profile-schema.js';

export type ReaderProtocol = (typeof READER_PROTOCOLS)[number];

/** How a card read's bits become the card string (docs/osdp.md, "Card numbers"). */
export type { OsdpCardFormat } from '../../drivers/osdp/osdp-card-number.js';
import type { OsdpCardFormat } from '../../drivers/osdp/osdp-card-number.js';

/** 'badge': the cabinet's badge reader; 'polled': kept online and supervised, never decided. */
export type OsdpReaderRole = 'badge' | 'polled';

export interface OsdpReaderEntry {
  address: number;
  name: string;
  role: OsdpReaderRole;
}

/** An OSDP bus (protocol osdp), every default filled in. */
export interface OsdpBusSpec {
  readers: OsdpReaderEntry[];
  /** In order: the first of a read's bit count decodes it. */
  cardFormats: OsdpCardFormat[];
  secure: 'off' | 'install' | 'on';
  /** Where the runner's signals show: the badge reader, the Pi's indicator pins, or both. */
  feedback: 'reader' | 'pi' | 'both';
}

export interface ReaderSpec {
  /** Device path such as /dev/serial0, or 'sim:<name>' for the simulator's in-process port. */
  path: string;
  baudRate: number;
  protocol: ReaderProtocol;
  /** ascii-line only: how the card number on each line is written. */
  lineFormat?: 'decimal' | 'hex';
  /** Offline after this long without a byte (readers with a heartbeat); absent: never. */
  silenceMs?: number;
  /** protocol osdp only (and always there). */
  osdp?: OsdpBusSpec;
}

/** An optional contact input (profile `inputs`). */
export interface ContactInputSpec {
  pin: PinSpec;
  debounceMs: number;
}

/** What an emergency releases: the door only, or the door and every slot. */
export type EmergencyReleases = 'door' | 'door_and_slots';

export interface ProfileInputs {
  tamper?: ContactInputSpec;
  powerFail?: ContactInputSpec;
  emergency?: ContactInputSpec & {
    releases: EmergencyReleases;
    /** A supervised input: the second contact, which must agree with the first. */
    confirm?: { pin: PinSpec; disagreeMs: number };
  };
}

export interface SlotSpec {
  number: number;
  solenoid: PinSpec;
  keyPresent: PinSpec;
}

export interface HardwareProfile {
  /** Where it was loaded from (absolute). */
  file: string;
  model: string;
  description: string;
  gpio: { driver: 'sim' | 'onoff' | 'chardev'; chipLabels?: string[] };
  slotCount: number;
  /** Index i is slot number i + 1. */
  slots: SlotSpec[];
  /** lock on = unlocked (fail-secure lock); sensor on = door open. */
  door: { lock: PinSpec; sensor: PinSpec };
  indicators: { green: PinSpec; red: PinSpec; buzzer: PinSpec };
  solenoids: { maxOnMs: number; maxConcurrent: number; minOffMs: number };
  readers: { badge: ReaderSpec; fob: ReaderSpec };
  /** Optional contacts; an absent one is not wired. */
  inputs: ProfileInputs;
}
