import type {
  OnoffDirection,
  OnoffEdge,
  OnoffGpio,
  OnoffGpioClass,
  OnoffOptions,
  OnoffValue,
} from '../../../drivers/gpio/onoff-gpio.js';

/** Ways a real, previously exported pin can differ from what onoff was asked for. */
export interface FakeQuirks {
  /** Electrical level before the claim (e.g. left on by a crashed run). */
  initialLevel?: OnoffValue;
  /** onoff swallowed a failed direction write: the level is not touched. */
  ignoreDirection?: boolean;
  /** onoff swallowed a failed active_low write: the kernel keeps this polarity. */
  activeLowStuckAt?: boolean;
  throwOnConstruct?: Error;
}

/**
 * A fake of onoff's Gpio that models what the kernel does with sysfs: 'high'/'low' set the
 * electrical level, active_low inverts value reads/writes. `log` interleaves the calls of all
 * pins, so tests can check ordering (every write before any unexport, for instance).
 */
export interface FakeOnoff {
  Gpio: OnoffGpioClass;
  pins: FakeGpio[];
  log: string[];
  quirks: Map<number, FakeQuirks>;
  pin(sysfs: number): FakeGpio;
}

export interface FakeGpio extends OnoffGpio {
  readonly args: {
    gpio: number;
    direction: OnoffDirection;
    edge: OnoffEdge | undefined;
    options: OnoffOptions | undefined;
  };
  /** Electrical level now. */
  readonly level: OnoffValue;
  /** Every electrical level the pin was driven to, in order, starting with the claim. */
  readonly levels: OnoffValue[];
  readonly unexported: boolean;
  readonly watcherCount: number;
  /** An interrupt as onoff reports it: the new electrical level, seen through active_low. */
  simulateEdge(level: OnoffValue): void;
  simulateError(err: Error): void;
}

export function createFakeOnoff(options: { accessible?: boolean } = {}): FakeOnoff {
  const pins: FakeGpio[] = [];
  const log: string[] = [];
  const quirks = new Map<number, FakeQuirks>();

  type Watcher = (err: Error | null | undefined, value: OnoffValue) => void;

  class Gpio implements FakeGpio {
    static readonly accessible = options.accessible ?? true;
    readonly args: FakeGpio['args'];
    readonly levels: OnoffValue[] = [];
    level: OnoffValue;
    unexported = false;
    private readonly kernelActiveLow: boolean;
    private watchers: Watcher[] = [];

    constructor(gpio: number, direction: OnoffDirection, edge?: OnoffEdge, opts?: OnoffOptions) {
      const q = quirks.get(gpio) ?? {};
      if (q.throwOnConstruct) throw q.throwOnConstruct;
      this.args = { gpio, direction, edge, options: opts };
      this.level = q.initialLevel ?? 0;
      this.kernelActiveLow = q.activeLowStuckAt ?? opts?.activeLow === true;
      // As the kernel does: 'high'/'low'/'out' set the raw level, ignoring active_low.
      if (!q.ignoreDirection && direction !== 'in') this.drive(direction === 'high' ? 1 : 0);
      log.push(`claim ${gpio} ${direction}`);
      pins.push(this);
    }

    get watcherCount(): number {
      return this.watchers.length;
    }

    readSync(): OnoffValue {
      this.assertExported();
      return this.logical(this.level);
    }

    writeSync(value: OnoffValue): void {
      this.assertExported();
      log.push(`write ${this.args.gpio} ${value}`);
      this.drive(this.logical(value));
    }

    watch(callback: Watcher): void {
      this.watchers.push(callback);
    }

    unwatchAll(): void {
      this.watchers = [];
    }

    activeLow(): boolean {
      return this.kernelActiveLow;
    }

    unexport(): void {
      this.unwatchAll();
      this.unexported = true;
      log.push(`unexport ${this.args.gpio}`);
    }

    simulateEdge(level: OnoffValue): void {
      this.level = level;
      for (const w of [...this.watchers]) w(null, this.logical(level));
    }

    simulateError(err: Error): void {
      for (const w of [...this.watchers]) w(err, this.logical(this.level));
    }

    private drive(level: OnoffValue): void {
      this.level = level;
      this.levels.push(level);
    }

    /** Inverting is symmetric: electrical → logical and logical → electrical. */
    private logical(value: OnoffValue): OnoffValue {
      return this.kernelActiveLow ? (value === 1 ? 0 : 1) : value;
    }

    private assertExported(): void {
      if (this.unexported) throw new Error(`EBADF: gpio${this.args.gpio} unexported`);
    }
  }

  return {
    Gpio,
    pins,
    log,
    quirks,
    pin(sysfs) {
      const found = pins.find((p) => p.args.gpio === sysfs);
      if (!found) throw new Error(`no fake gpio ${sysfs} was constructed`);
      return found;
    },
  };
}
