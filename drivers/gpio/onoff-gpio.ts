import { DriverError } from '../errors.js';
import type { DriverLogger } from '../logger.js';
import type { GpioDriver, InputPin, OutputPin, PinSpec } from './gpio.js';
import { findHeaderChip } from './header-chip.js';
import { PinClaims } from './pin-claims.js';

/*
 * The slice of onoff's Gpio that this driver uses, written structurally so tests can inject a
 * fake class and machines without GPIO never load onoff (and its native epoll addon).
 */
export type OnoffValue = 0 | 1;
export type OnoffDirection = 'in' | 'out' | 'high' | 'low';
export type OnoffEdge = 'none' | 'rising' | 'falling' | 'both';
export interface OnoffOptions {
  debounceTimeout?: number;
  activeLow?: boolean;
  reconfigureDirection?: boolean;
}
export interface OnoffGpio {
  readSync(): OnoffValue;
  writeSync(value: OnoffValue): void;
  watch(callback: (err: Error | null | undefined, value: OnoffValue) => void): void;
  unwatchAll(): void;
  /** Reads back the kernel's active_low, which onoff may have failed to set (see claim()). */
  activeLow(): boolean;
  unexport(): void;
}
export interface OnoffGpioClass {
  new (
    gpio: number,
    direction: OnoffDirection,
    edge?: OnoffEdge,
    options?: OnoffOptions,
  ): OnoffGpio;
  readonly accessible: boolean;
}

export interface OnoffGpioDriverOptions {
  Gpio: OnoffGpioClass;
  /** Where gpiochip entries are read. onoff itself always uses /sys/class/gpio. */
  sysfsRoot?: string;
  chipLabels?: readonly string[];
  logger: DriverLogger;
}

/** Enough to ride out the bounce of a reed or microswitch without delaying a door event. */
export const DEFAULT_INPUT_DEBOUNCE_MS = 20;

/**
 * Dynamically imports onoff, so a development machine or the simulator never loads epoll, and
 * refuses early when /sys/class/gpio/export cannot be opened (no sysfs GPIO, or not in the gpio
 * group) rather than failing on the first pin.
 */
export async function loadOnoff(
  importModule: () => Promise<{ Gpio: OnoffGpioClass }> = importOnoff,
): Promise<OnoffGpioClass> {
  let Gpio: OnoffGpioClass;
  try {
    ({ Gpio } = await importModule());
  } catch (cause) {
    throw new DriverError('GPIO_UNAVAILABLE', 'cannot load onoff (sysfs GPIO library)', {
      cause,
    });
  }
  if (!Gpio.accessible) {
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      'sysfs GPIO is not accessible: /sys/class/gpio/export cannot be opened for writing ' +
        '(no sysfs GPIO on this machine, or the user is not in the gpio group)',
    );
  }
  return Gpio;
}

async function importOnoff(): Promise<{ Gpio: OnoffGpioClass }> {
  const onoff = await import('onoff');
  return { Gpio: onoff.Gpio };
}

interface Claimed {
  spec: PinSpec;
  gpio: OnoffGpio;
}

/**
 * GPIO through onoff (sysfs). Sysfs numbers are the header chip's base plus the BCM number.
 *
 * Glitch-free claim: the kernel applies the direction values 'high'/'low' to the *electrical*
 * level (gpiod_direction_output_raw), ignoring active_low. So an active-high output is claimed
 * with 'low' and an active-low one with 'high': both come up de-energised from the first
 * instant. ('out' means electrical low, which would energise an active-low relay.)
 */
export class OnoffGpioDriver implements GpioDriver {
  private readonly Gpio: OnoffGpioClass;
  private readonly log: DriverLogger;
  private readonly base: number;
  private readonly claims = new PinClaims();
  private readonly outputs: Array<Claimed & { pin: OnoffOutput }> = [];
  private readonly inputs: Claimed[] = [];
  private closed = false;

  constructor(options: OnoffGpioDriverOptions) {
    this.Gpio = options.Gpio;
    this.log = options.logger.child({ module: 'gpio.onoff' });
    const chip = findHeaderChip(options.sysfsRoot, options.chipLabels);
    this.base = chip.base;
    this.log.info({ chip: chip.chip, label: chip.label, base: chip.base }, 'header GPIO chip');
  }

  output(spec: PinSpec): OutputPin {
    const activeLow = spec.activeLow === true;
    const gpio = this.claim(spec, activeLow ? 'high' : 'low', 'none', { activeLow });
    const pin = new OnoffOutput(spec, gpio, this.log, () => this.closed);
    this.outputs.push({ spec, gpio, pin });
    return pin;
  }

  input(spec: PinSpec, options: { debounceMs?: number } = {}): InputPin {
    const debounceTimeout = options.debounceMs ?? DEFAULT_INPUT_DEBOUNCE_MS;
    const gpio = this.claim(spec, 'in', 'both', {
      activeLow: spec.activeLow === true,
      debounceTimeout,
    });
    this.inputs.push({ spec, gpio });
    return new OnoffInput(spec, gpio, this.log, () => this.closed);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Every output off before anything is released; one failing pin must not stop the others.
    for (const { spec, gpio, pin } of this.outputs) {
      try {
        gpio.writeSync(0);
        pin.markOff();
      } catch (err) {
        this.log.error({ err, name: spec.name }, 'could not drive output off on close');
      }
    }
    for (const { spec, gpio } of [...this.outputs, ...this.inputs]) {
      try {
        gpio.unwatchAll();
        gpio.unexport();
      } catch (err) {
        this.log.error({ err, name: spec.name }, 'could not release GPIO');
      }
    }
    this.log.info({ outputs: this.outputs.length, inputs: this.inputs.length }, 'GPIO closed');
  }

  private claim(
    spec: PinSpec,
    direction: OnoffDirection,
    edge: OnoffEdge,
    options: OnoffOptions,
  ): OnoffGpio {
    if (this.closed) {
      throw new DriverError('GPIO_UNAVAILABLE', `cannot claim '${spec.name}': driver closed`);
    }
    this.claims.claim(spec);
    const sysfs = this.base + spec.bcm;
    const where = `'${spec.name}' (BCM ${spec.bcm}, sysfs ${sysfs})`;
    let gpio: OnoffGpio;
    try {
      // reconfigureDirection: a pin left exported by a crashed run must be driven again.
      gpio = new this.Gpio(sysfs, direction, edge, { ...options, reconfigureDirection: true });
    } catch (cause) {
      this.claims.release(spec);
      throw new DriverError('GPIO_UNAVAILABLE', `cannot claim GPIO ${where}`, { cause });
    }
    try {
      this.verify(gpio, spec, direction, options.activeLow === true);
    } catch (cause) {
      this.release(gpio, spec);
      this.claims.release(spec);
      if (cause instanceof DriverError) throw cause;
      throw new DriverError('GPIO_UNAVAILABLE', `cannot set up GPIO ${where}`, { cause });
    }
    this.log.debug({ name: spec.name, sysfs, direction, edge, ...options }, 'GPIO claimed');
    return gpio;
  }

  /**
   * onoff silently ignores failures to configure a pin that was already exported (by a crashed
   * run or another tool), so check the result instead of trusting it.
   */
  private verify(gpio: OnoffGpio, spec: PinSpec, direction: OnoffDirection, wanted: boolean): void {
    const kernelActiveLow = gpio.activeLow();
    if (direction !== 'in') {
      // The level that is electrically "off", in the kernel's (possibly wrong) polarity.
      const off: OnoffValue = kernelActiveLow === wanted ? 0 : 1;
      if (gpio.readSync() !== off) {
        this.log.warn({ name: spec.name }, 'output was on after claim; forcing it off');
        gpio.writeSync(off);
      }
    }
    if (kernelActiveLow !== wanted) {
      throw new DriverError(
        'GPIO_UNAVAILABLE',
        `GPIO '${spec.name}' (BCM ${spec.bcm}): kernel active_low is ${kernelActiveLow}, ` +
          `profile says ${wanted}`,
      );
    }
  }

  private release(gpio: OnoffGpio, spec: PinSpec): void {
    try {
      gpio.unexport();
    } catch (err) {
      this.log.error({ err, name: spec.name }, 'could not release GPIO');
    }
  }
}

class OnoffOutput implements OutputPin {
  private on = false;

  constructor(
    readonly spec: PinSpec,
    private readonly gpio: OnoffGpio,
    private readonly log: DriverLogger,
    private readonly isClosed: () => boolean,
  ) {}

  get state(): boolean {
    return this.on;
  }

  write(on: boolean): void {
    if (this.isClosed()) {
      // The pin is already off and released; only energising after close is a bug.
      if (!on) return;
      throw new DriverError('GPIO_UNAVAILABLE', `cannot energise '${this.spec.name}': closed`);
    }
    this.gpio.writeSync(on ? 1 : 0);
    this.on = on;
    this.log.debug({ name: this.spec.name, on }, 'output written');
  }

  markOff(): void {
    this.on = false;
  }
}

class OnoffInput implements InputPin {
  private readonly listeners = new Set<(on: boolean) => void>();
  /** Last value reported to listeners: onoff reports every edge, listeners only changes. */
  private last: boolean;

  constructor(
    readonly spec: PinSpec,
    private readonly gpio: OnoffGpio,
    private readonly log: DriverLogger,
    private readonly isClosed: () => boolean,
  ) {
    this.last = gpio.readSync() === 1;
    gpio.watch((err, value) => this.edge(err, value));
  }

  read(): boolean {
    if (this.isClosed()) {
      throw new DriverError('GPIO_UNAVAILABLE', `cannot read '${this.spec.name}': closed`);
    }
    return this.gpio.readSync() === 1;
  }

  onChange(listener: (on: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private edge(err: Error | null | undefined, value: OnoffValue): void {
    if (err) {
      this.log.error({ err, name: this.spec.name }, 'GPIO watch error');
      return;
    }
    const on = value === 1;
    if (on === this.last || this.isClosed()) return;
    this.last = on;
    this.log.debug({ name: this.spec.name, on }, 'input changed');
    for (const listener of [...this.listeners]) {
      try {
        listener(on);
      } catch (listenerErr) {
        this.log.error({ err: listenerErr, name: this.spec.name }, 'GPIO listener threw');
      }
    }
  }
}
