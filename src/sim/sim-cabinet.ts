import { EventEmitter } from 'node:events';
import { parseKeypadLine, type KeypadEntry } from '../../drivers/serial/keypad-line.js';
import type { SimGpioDriver, SimOutputEvent } from '../../drivers/gpio/sim-gpio.js';
import { formatFobLine } from '../../drivers/serial/fob-line.js';
import { isSimPath, type SimPortRegistry } from '../../drivers/serial/sim-port.js';
import type { HardwareProfile } from '../config/profile.js';
import type { SimulatedOsdpReader } from '../../drivers/osdp/sim/simulated-reader.js';
import { h10301Card } from './osdp-card.js';
import { OsdpReaderPanel, type OsdpReaderView } from './osdp-reader-panel.js';
import { encodeBadge } from './reader-frames.js';

export interface SimSlotView {
  slot: number;
  /** The fob hanging in the slot, or null when empty. */
  tag: string | null;
  keyPresent: boolean;
  solenoid: boolean;
}

export interface SimSnapshot {
  door: { open: boolean; unlocked: boolean };
  indicators: { green: boolean; red: boolean; buzzer: boolean };
  slots: SimSlotView[];
  readers: { badge: string; fob: string };
  /** The profile's optional contacts that exist, each true while active. */
  inputs: Partial<Record<ContactName, boolean>>;
  /** The badge reader, when it is a simulated OSDP reader: its LED, buzzer and link. */
  osdpReader?: OsdpReaderView;
}

/** The optional contacts a profile may have (`inputs` in the profile). */
export type ContactName = 'tamper' | 'powerFail' | 'emergency';
export const CONTACT_NAMES: readonly ContactName[] = ['tamper', 'powerFail', 'emergency'];

export class SimRefusal extends Error {}

interface SimEvents {
  output: [event: SimOutputEvent];
  changed: [];
  /** A keypad entry typed at the simulated reader's keypad. */
  keypad: [entry: KeypadEntry];
}

/**
 * The physical side of a simulated cabinet: fobs hanging in slots, the door, and the readers'
 * wires. It obeys the same physics as the real one: a key cannot be taken from a locked slot
 * nor the door opened while locked, unless the action is forced (which is what the alarms are
 * for). Card reads and fob reports travel as wire bytes through the readers' in-process ports
 * when the profile's reader path is `sim:…`; otherwise a real device (or a test's pty) is wired
 * there and the simulator only drives GPIO.
 */
export class SimCabinet extends EventEmitter<SimEvents> {
  private readonly tags: Array<string | null>;
  private readonly lastTaken: Array<string | null>;
  private doorOpen = false;
  private readonly contacts: Partial<Record<ContactName, boolean>> = {};

  private readonly readers: HardwareProfile['readers'];
  private readonly osdp: OsdpReaderPanel | undefined;

  /**
   * `readerPaths` are the paths the daemon really opened (the config may override the profile).
   * `osdpReader` is the simulated OSDP reader on the badge reader's in-process link, when the
   * profile's badge reader is one: cards and keys are then presented to it, and the cabinet
   * reads them off the bus as from a real reader.
   */
  constructor(
    private readonly profile: HardwareProfile,
    private readonly gpio: SimGpioDriver,
    private readonly ports: SimPortRegistry,
    readerPaths: { badge?: string | undefined; fob?: string | undefined } = {},
    osdpReader?: SimulatedOsdpReader,
  ) {
    super();
    this.osdp = osdpReader && new OsdpReaderPanel(osdpReader);
    this.osdp?.on('changed', () => this.emit('changed'));
    const { badge, fob } = profile.readers;
    this.readers = {
      badge: { ...badge, path: readerPaths.badge ?? badge.path },
      fob: { ...fob, path: readerPaths.fob ?? fob.path },
    };
    for (const name of CONTACT_NAMES) if (profile.inputs[name]) this.contacts[name] = false;
    this.tags = Array.from({ length: profile.slotCount }, () => null);
    this.lastTaken = Array.from({ length: profile.slotCount }, () => null);
    gpio.onOutput((event) => {
      this.emit('output', event);
      this.emit('changed');
    });
  }

  /** Hangs fobs before the daemon starts reading (the cabinet as it was when powered on). */
  preload(tags: ReadonlyMap<number, string>): void {
    for (const [slot, tag] of tags) {
      this.tags[slot - 1] = tag;
      this.gpio.setInput(this.slotSpec(slot).keyPresent.name, true);
    }
  }

  /** The fob reader's report of every occupied slot, as real readers send at power-up. */
  announceFobs(): void {
    this.tags.forEach((tag, i) => {
      if (tag) this.fobLine(i + 1, tag);
    });
  }

  /**
   * Keys typed on the reader's keypad, in the wire format of hardware/README.md (`1234#` or
   * `K1234#` for a PIN, `*` to clear). The simulated RDM6300 reader has no keypad, so the entry
   * goes through the same parser and straight to the daemon; a simulated OSDP reader sends the
   * keys in its KEYPAD reply to the next poll, which the cabinet reads as a real reader's.
   */
  keypad(keys: string): void {
    const text = keys.trim();
    const line = parseKeypadLine(text.startsWith('K') ? text : `K${text}`);
    if (!line.ok) throw new SimRefusal(`keypad: ${line.reason}`);
    if (this.osdp) return this.osdp.reader.typeKeys(text.replace(/^K/, ''));
    this.emit('keypad', line.entry);
  }

  badge(card: string): void {
    // The card is held to the OSDP reader: its RAW read answers the next poll.
    if (this.osdp) return this.osdp.reader.presentCard(h10301Card(card));
    const reader = this.readers.badge;
    this.simPort(reader.path, 'badge').inject(encodeBadge(card, reader));
  }

  /** Pulls the simulated OSDP reader's cable, or plugs it back in. */
  setReaderConnected(connected: boolean): void {
    if (!this.osdp) throw new SimRefusal('the badge reader is not a simulated OSDP reader');
    this.osdp.setConnected(connected);
  }

  /** Stops watching the OSDP reader (the daemon stops). */
  close(): void {
    this.osdp?.close();
  }

  openDoor(force = false): void {
    if (this.doorOpen) return;
    if (!force && !this.output(this.profile.door.lock.name)) {
      throw new SimRefusal('the door is locked (force it to open it anyway)');
    }
    this.doorOpen = true;
    this.gpio.setInput(this.profile.door.sensor.name, true);
    this.emit('changed');
  }

  closeDoor(): void {
    if (!this.doorOpen) return;
    this.doorOpen = false;
    this.gpio.setInput(this.profile.door.sensor.name, false);
    this.emit('changed');
  }

  /** Makes an optional contact active (a tamper switch opened, mains lost, a fire alarm) or not. */
  setContact(name: ContactName, active: boolean): void {
    const spec = this.profile.inputs[name];
    if (!spec) throw new SimRefusal(`the hardware profile has no ${name} input`);
    this.contacts[name] = active;
    this.gpio.setInput(spec.pin.name, active);
    this.emit('changed');
  }

  take(slot: number, force = false): string {
    const spec = this.slotSpec(slot);
    const tag = this.tags[slot - 1];
    if (!tag) throw new SimRefusal(`slot ${slot} is empty`);
    if (!this.doorOpen) throw new SimRefusal('the door is closed');
    if (!force && !this.output(spec.solenoid.name)) {
      throw new SimRefusal(`slot ${slot} is locked (force it to pull the key anyway)`);
    }
    this.tags[slot - 1] = null;
    this.lastTaken[slot - 1] = tag;
    this.gpio.setInput(spec.keyPresent.name, false);
    this.fobLine(slot, null);
    this.emit('changed');
    return tag;
  }

  /** Puts a fob into a slot; without a tag, the one last taken from that slot. */
  insert(slot: number, tag?: string): string {
    const spec = this.slotSpec(slot);
    const fob = (tag ?? this.lastTaken[slot - 1])?.toUpperCase();
    if (!fob) throw new SimRefusal(`no fob given and none was taken from slot ${slot}`);
    if (!/^[0-9A-F]{4,32}$/.test(fob))
      throw new RangeError(`tag "${fob}" must be 4 to 32 hex digits`);
    if (this.tags[slot - 1]) throw new SimRefusal(`slot ${slot} is occupied`);
    if (!this.doorOpen) throw new SimRefusal('the door is closed');
    this.tags[slot - 1] = fob;
    this.gpio.setInput(spec.keyPresent.name, true);
    this.fobLine(slot, fob);
    this.emit('changed');
    return fob;
  }

  snapshot(): SimSnapshot {
    const { door, indicators } = this.profile;
    const { readers } = this;
    return {
      door: { open: this.doorOpen, unlocked: this.output(door.lock.name) },
      indicators: {
        green: this.output(indicators.green.name),
        red: this.output(indicators.red.name),
        buzzer: this.output(indicators.buzzer.name),
      },
      slots: this.profile.slots.map((s) => ({
        slot: s.number,
        tag: this.tags[s.number - 1] ?? null,
        keyPresent: this.tags[s.number - 1] !== null,
        solenoid: this.output(s.solenoid.name),
      })),
      readers: { badge: readers.badge.path, fob: readers.fob.path },
      inputs: { ...this.contacts },
      ...(this.osdp && { osdpReader: this.osdp.view() }),
    };
  }

  private fobLine(slot: number, tag: string | null): void {
    const path = this.readers.fob.path;
    // With a real (or pty) fob reader, the fob report comes from that wire instead.
    if (isSimPath(path)) this.ports.get(path).inject(formatFobLine(slot, tag) + '\r\n');
  }

  private simPort(path: string, which: string) {
    if (!isSimPath(path)) {
      throw new SimRefusal(
        `the ${which} reader is a real device (${path}): present the card there`,
      );
    }
    return this.ports.get(path);
  }

  private output(name: string): boolean {
    return this.gpio.outputs().find((o) => o.name === name)?.on ?? false;
  }

  private slotSpec(slot: number) {
    const spec = this.profile.slots[slot - 1];
    if (!spec) throw new SimRefusal(`there is no slot ${slot} (1..${this.profile.slotCount})`);
    return spec;
  }
}
