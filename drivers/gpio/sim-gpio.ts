import { DriverError } from '../errors.js';
import type { DriverLogger } from '../logger.js';
import type { GpioDriver, InputPin, OutputPin, PinSpec } from './gpio.js';
import { PinClaims, SIM_BCM_MAX } from './pin-claims.js';

export interface SimPinState {
  name: string;
  bcm: number;
  on: boolean;
}

export interface SimOutputEvent extends SimPinState {
  /** Time of the write from the injected clock (ms, monotonic). */
  at: number;
}

export interface SimGpioOptions {
  logger: DriverLogger;
  /** Monotonic clock for output events; the benchmark times "badge to solenoid" with it. */
  now?: () => number;
}

interface SimInput {
  spec: PinSpec;
  on: boolean;
  listeners: Set<(on: boolean) => void>;
}

/**
 * An in-memory cabinet: outputs can be observed, inputs driven by name. Used by the simulator,
 * the benchmark and every test above the driver layer. It enforces the same claim rules as the
 * real driver so a bad pin map fails here first.
 */
export class SimGpioDriver implements GpioDriver {
  private readonly log: DriverLogger;
  private readonly now: () => number;
  private readonly claims = new PinClaims(SIM_BCM_MAX);
  private readonly outputPins: SimOutput[] = [];
  private readonly inputPins = new Map<string, SimInput>();
  /** Values set before the input was claimed, applied at claim time. */
  private readonly pending = new Map<string, boolean>();
  private readonly outputListeners = new Set<(event: SimOutputEvent) => void>();
  private closed = false;

  constructor(options: SimGpioOptions) {
    this.log = options.logger.child({ module: 'gpio.sim' });
    this.now = options.now ?? (() => performance.now());
  }

  output(spec: PinSpec): OutputPin {
    this.assertOpen(spec);
    this.claims.claim(spec);
    const pin = new SimOutput(
      spec,
      (on) => this.emitOutput(spec, on),
      () => this.closed,
    );
    this.outputPins.push(pin);
    pin.write(false); // claimed off, as the real driver does
    return pin;
  }

  input(spec: PinSpec, _options?: { debounceMs?: number }): InputPin {
    // Simulated contacts do not bounce, so debounceMs has nothing to do here.
    this.assertOpen(spec);
    this.claims.claim(spec);
    const state: SimInput = {
      spec,
      on: this.pending.get(spec.name) ?? false,
      listeners: new Set(),
    };
    this.pending.delete(spec.name);
    this.inputPins.set(spec.name, state);
    return {
      spec,
      read: () => state.on,
      onChange: (listener) => {
        state.listeners.add(listener);
        return () => state.listeners.delete(listener);
      },
    };
  }

  close(): void {
    if (this.closed) return;
    for (const pin of this.outputPins) pin.write(false);
    this.closed = true;
    this.log.debug('closed');
  }

  /** Drives an input by name; before the input is claimed this sets its initial value. */
  setInput(name: string, on: boolean): void {
    if (this.outputPins.some((pin) => pin.spec.name === name)) {
      throw new DriverError('NOT_AN_INPUT', `'${name}' is an output, not an input`);
    }
    const state = this.inputPins.get(name);
    if (!state) {
      this.pending.set(name, on);
      return;
    }
    if (state.on === on) return;
    state.on = on;
    this.log.debug({ name, on }, 'input changed');
    for (const listener of [...state.listeners]) {
      this.callSafely(() => listener(on), name);
    }
  }

  outputs(): SimPinState[] {
    return this.outputPins.map((pin) => ({
      name: pin.spec.name,
      bcm: pin.spec.bcm,
      on: pin.state,
    }));
  }

  inputs(): SimPinState[] {
    return [...this.inputPins.values()].map((s) => ({
      name: s.spec.name,
      bcm: s.spec.bcm,
      on: s.on,
    }));
  }

  /** Reports every output write, including the off written at claim and at close. */
  onOutput(listener: (event: SimOutputEvent) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  private emitOutput(spec: PinSpec, on: boolean): void {
    const event: SimOutputEvent = { name: spec.name, bcm: spec.bcm, on, at: this.now() };
    this.log.debug({ name: spec.name, on }, 'output written');
    for (const listener of [...this.outputListeners]) {
      this.callSafely(() => listener(event), spec.name);
    }
  }

  /** An observer's bug must not break the write path that the fail-secure code relies on. */
  private callSafely(fn: () => void, name: string): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err, name }, 'GPIO listener threw');
    }
  }

  private assertOpen(spec: PinSpec): void {
    if (this.closed) {
      throw new DriverError('GPIO_UNAVAILABLE', `cannot claim '${spec.name}': driver closed`);
    }
  }
}

class SimOutput implements OutputPin {
  private on = false;

  constructor(
    readonly spec: PinSpec,
    private readonly report: (on: boolean) => void,
    private readonly isClosed: () => boolean,
  ) {}

  get state(): boolean {
    return this.on;
  }

  write(on: boolean): void {
    if (this.isClosed()) {
      // Same rule as the real driver: locking a released pin is harmless, energising is a bug.
      if (!on) return;
      throw new DriverError('GPIO_UNAVAILABLE', `cannot energise '${this.spec.name}': closed`);
    }
    this.on = on;
    this.report(on);
  }
}
