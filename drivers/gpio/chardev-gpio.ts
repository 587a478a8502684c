import { DriverError } from '../errors.js';
import type { DriverLogger } from '../logger.js';
import {
  checkToolVersion,
  findChardevHeaderChip,
  readLines,
  resolveLine,
  runTool,
} from './chardev-chip.js';
import type { GpioDriver, InputPin, OutputPin, PinSpec } from './gpio.js';
import { parseLevel, type ChipInfo, type LineInfo } from './gpio-tools-output.js';
import type { GpioTools, ToolProcess } from './gpio-tools.js';
import { DEFAULT_INPUT_DEBOUNCE_MS } from './onoff-gpio.js';
import { PinClaims } from './pin-claims.js';

export interface ChardevGpioDriverOptions {
  tools: GpioTools;
  /** Labels of the header chip, tried in order (the profile's gpio.chipLabels). */
  chipLabels?: readonly string[];
  logger: DriverLogger;
  /** How long ready() waits for every line to be confirmed held. */
  readyTimeoutMs?: number;
  /**
   * A line's tool ended while the driver was open: that output can no longer be driven off, or
   * that input no longer reports (a door or a key moving unseen). Called once per tool; the
   * daemon treats it as fatal, so it stops, `outputs-off` runs and systemd starts it again.
   */
  onFault?: (error: DriverError) => void;
}

/** Every line this driver requests carries this consumer prefix, as gpioinfo shows it. */
export const CONSUMER_PREFIX = 'keywarden';
/** The kernel keeps 31 characters of a consumer label. */
const CONSUMER_MAX = 31;
/** How long a holder may take to exit after its stdin closed before it is terminated. */
const EXIT_GRACE_MS = 2_000;
const READY_POLL_MS = 20;

export function consumerFor(spec: PinSpec): string {
  return `${CONSUMER_PREFIX}:${spec.name}`.slice(0, CONSUMER_MAX);
}

/**
 * GPIO through the kernel's character device (/dev/gpiochipN), by libgpiod 2's tools:
 *
 * - an output is one `gpioset --interactive` holding its line for as long as the daemon runs,
 *   requested with its de-energised value as the initial value (the kernel sets direction and
 *   level in one request, so there is no glitch), changed by `set` commands on its stdin;
 * - an input is one `gpiomon` reporting both edges, debounced by the kernel, after a `gpioget`
 *   for its level at claim time.
 *
 * Lines are found by chip label and line name, never by number, so kernels that renumber chips
 * (Pi 5, 6.6.47) or sysfs bases (6.6) change nothing. A line another process holds is refused.
 *
 * When the daemon dies, its tools die with it (systemGpioTools starts them with a parent-death
 * signal) and their lines are released. Raspberry Pi kernels keep a released output at its
 * last level, so ExecStopPost's `outputs-off` still drives everything off after a crash,
 * exactly as with sysfs.
 */
export class ChardevGpioDriver implements GpioDriver {
  private readonly tools: GpioTools;
  private readonly log: DriverLogger;
  private readonly chip: ChipInfo;
  private readonly claims = new PinClaims();
  private readonly outputs: ChardevOutput[] = [];
  private readonly inputs: ChardevInput[] = [];
  private readonly exits: Array<Promise<void>> = [];
  private readonly readyTimeoutMs: number;
  private readonly fault: (error: DriverError) => void;
  private closed = false;

  constructor(options: ChardevGpioDriverOptions) {
    this.tools = options.tools;
    this.log = options.logger.child({ module: 'gpio.chardev' });
    this.readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
    this.fault = options.onFault ?? (() => undefined);
    checkToolVersion(this.tools);
    this.chip = findChardevHeaderChip(this.tools, options.chipLabels);
    this.log.info({ chip: this.chip.name, label: this.chip.label }, 'header GPIO chip');
  }

  output(spec: PinSpec): OutputPin {
    const line = this.claim(spec);
    const activeLow = spec.activeLow === true;
    // Logical 0 with --active-low is the electrical high an inverting relay needs to stay off:
    // the kernel applies polarity and initial value in the one request.
    const holder = this.start(spec, 'gpioset', [
      '--interactive',
      '--consumer',
      consumerFor(spec),
      '--chip',
      this.chip.name,
      ...(activeLow ? ['--active-low'] : []),
      `${line.offset}=0`,
    ]);
    const pin = new ChardevOutput(
      spec,
      this.where(spec, line),
      line.offset,
      holder,
      this.log,
      () => this.closed,
      this.fault,
    );
    this.outputs.push(pin);
    return pin;
  }

  input(spec: PinSpec, options: { debounceMs?: number } = {}): InputPin {
    const line = this.claim(spec);
    const debounceMs = options.debounceMs ?? DEFAULT_INPUT_DEBOUNCE_MS;
    const polarity = spec.activeLow === true ? ['--active-low'] : [];
    // The level now, before gpiomon holds the line (gpioget cannot read a held line).
    let level: boolean | undefined;
    try {
      level = parseLevel(
        runTool(this.tools, 'gpioget', [
          '--consumer',
          consumerFor(spec),
          '--chip',
          this.chip.name,
          ...polarity,
          `${line.offset}`,
        ]),
        `${line.offset}`,
      );
    } finally {
      if (level === undefined) this.claims.release(spec);
    }
    if (level === undefined) {
      throw new DriverError('GPIO_UNAVAILABLE', `cannot read ${this.where(spec, line)}`);
    }
    const monitor = this.start(spec, 'gpiomon', [
      '--consumer',
      consumerFor(spec),
      '--chip',
      this.chip.name,
      '--edges',
      'both',
      ...(debounceMs > 0 ? ['--debounce-period', `${debounceMs}ms`] : []),
      ...polarity,
      '--format',
      '%E %o',
      `${line.offset}`,
    ]);
    const pin = new ChardevInput(
      spec,
      this.where(spec, line),
      line.offset,
      level,
      monitor,
      this.log,
      () => this.closed,
      this.fault,
    );
    this.inputs.push(pin);
    return pin;
  }

  /**
   * Outputs: each holder answers a `get` with the level it holds, which must be the one last
   * written. Inputs: gpioinfo shows the line held by this pin's consumer.
   */
  async ready(): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    await Promise.all(this.outputs.map((pin) => pin.confirm(deadline)));
    const waiting = new Set(this.inputs);
    for (;;) {
      for (const pin of waiting) pin.assertAlive();
      const lines = readLines(this.tools, this.chip);
      for (const pin of [...waiting]) {
        const line = lines.find((l) => l.offset === pin.offset);
        if (line?.consumer === consumerFor(pin.spec)) waiting.delete(pin);
      }
      if (waiting.size === 0) return;
      if (Date.now() > deadline) {
        const [first] = waiting;
        throw new DriverError('GPIO_UNAVAILABLE', `${first?.where ?? 'an input'} is not held`);
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Every output off before anything is released; one failing pin must not stop the others.
    for (const pin of this.outputs) {
      try {
        pin.driveOff();
      } catch (err) {
        this.log.error({ err, name: pin.spec.name }, 'could not drive output off on close');
      }
    }
    // Each gpioset reads its off `set` before its `exit`: the pipe keeps them in order.
    for (const pin of this.outputs) pin.release();
    for (const pin of this.inputs) pin.release();
    this.log.info({ outputs: this.outputs.length, inputs: this.inputs.length }, 'GPIO closed');
  }

  async released(): Promise<void> {
    await Promise.all(this.exits);
  }

  private claim(spec: PinSpec): LineInfo {
    if (this.closed) {
      throw new DriverError('GPIO_UNAVAILABLE', `cannot claim '${spec.name}': driver closed`);
    }
    this.claims.claim(spec);
    try {
      // Read afresh for each pin: another process may have taken a line since start.
      const line = resolveLine(spec, this.chip, readLines(this.tools, this.chip));
      if (line.consumer !== undefined) {
        throw new DriverError(
          'GPIO_UNAVAILABLE',
          `${this.where(spec, line)} is busy: held by '${line.consumer}'` +
            (line.consumer.startsWith(CONSUMER_PREFIX)
              ? ' (is another Keywarden daemon running?)'
              : line.consumer === 'sysfs'
                ? ' (exported in /sys/class/gpio: unexport it, or use gpio.driver "onoff")'
                : ''),
        );
      }
      return line;
    } catch (error) {
      this.claims.release(spec);
      throw error;
    }
  }

  private start(spec: PinSpec, tool: 'gpioset' | 'gpiomon', args: string[]): ToolProcess {
    const process = this.tools.start(tool, args);
    this.exits.push(
      new Promise((resolve) => {
        process.onExit(() => resolve());
      }),
    );
    this.log.debug({ name: spec.name, tool, args }, 'GPIO line requested');
    return process;
  }

  private where(spec: PinSpec, line: LineInfo): string {
    const name = line.name === undefined ? '' : ` "${line.name}"`;
    return `GPIO pin '${spec.name}' (BCM ${spec.bcm}, ${this.chip.name} [${this.chip.label}] line ${line.offset}${name})`;
  }
}

/** What a line's tool process said when it exited, for errors. */
class LineProcess {
  exited: string | undefined;

  constructor(
    readonly process: ToolProcess,
    readonly where: string,
    log: DriverLogger,
    name: string,
    isClosed: () => boolean,
    fault: (error: DriverError) => void,
  ) {
    process.onExit((status, stderr) => {
      this.exited = `exited (status ${status ?? 'killed'})${stderr ? `: ${stderr}` : ''}`;
      if (isClosed()) return;
      log.error({ name, status, stderr }, 'GPIO line released unexpectedly');
      fault(new DriverError('GPIO_UNAVAILABLE', `${this.where}: ${this.exited}`));
    });
  }

  assertAlive(): void {
    if (this.exited !== undefined) {
      throw new DriverError('GPIO_UNAVAILABLE', `${this.where}: ${this.exited}`);
    }
  }

  /** Terminates the tool if it has not exited by itself in time (the timer never holds Node). */
  terminateLater(): void {
    const timer = setTimeout(() => this.process.kill('SIGTERM'), EXIT_GRACE_MS);
    timer.unref();
    this.process.onExit(() => clearTimeout(timer));
  }
}

class ChardevOutput implements OutputPin {
  private on = false;
  private readonly line: LineProcess;

  constructor(
    readonly spec: PinSpec,
    where: string,
    private readonly offset: number,
    holder: ToolProcess,
    private readonly log: DriverLogger,
    private readonly isClosed: () => boolean,
    fault: (error: DriverError) => void,
  ) {
    this.line = new LineProcess(holder, where, log, spec.name, isClosed, fault);
  }

  get state(): boolean {
    return this.on;
  }

  write(on: boolean): void {
    if (this.isClosed()) {
      // The pin is already off and released; only energising after close is a bug.
      if (!on) return;
      throw new DriverError('GPIO_UNAVAILABLE', `cannot energise '${this.spec.name}': closed`);
    }
    this.set(on);
    this.log.debug({ name: this.spec.name, on }, 'output written');
  }

  driveOff(): void {
    this.set(false);
  }

  /**
   * `exit` makes gpioset release its line and end, after the `set` before it. Not EOF: an
   * interactive gpioset ignores the end of its input and keeps the line (libgpiod 2.0-2.2).
   */
  release(): void {
    this.line.process.write('exit\n');
    this.line.process.end();
    this.line.terminateLater();
  }

  /** Asks the holder for its level: it must be the one last written (see ready()). */
  confirm(deadline: number): Promise<void> {
    const id = `${this.offset}`;
    const expected = this.on;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => finish(new DriverError('GPIO_UNAVAILABLE', `${this.line.where}: no answer`)),
        Math.max(0, deadline - Date.now()),
      );
      this.line.process.onLine((text) => {
        const level = parseLevel(text, id);
        if (level === undefined) return;
        finish(
          level === expected
            ? undefined
            : new DriverError(
                'GPIO_UNAVAILABLE',
                `${this.line.where} reads ${level ? 'on' : 'off'}, expected ${expected ? 'on' : 'off'}`,
              ),
        );
      });
      this.line.process.onExit(() => {
        try {
          this.line.assertAlive();
        } catch (error) {
          finish(error as Error);
        }
      });
      this.line.process.write(`get ${id}\n`);
    });
  }

  private set(on: boolean): void {
    this.line.assertAlive();
    this.line.process.write(`set ${this.offset}=${on ? 1 : 0}\n`);
    this.on = on;
  }
}

class ChardevInput implements InputPin {
  private readonly listeners = new Set<(on: boolean) => void>();
  private readonly line: LineProcess;

  constructor(
    readonly spec: PinSpec,
    readonly where: string,
    readonly offset: number,
    /** Last level seen: the kernel reports every (debounced) edge, listeners only changes. */
    private last: boolean,
    monitor: ToolProcess,
    private readonly log: DriverLogger,
    private readonly isClosed: () => boolean,
    fault: (error: DriverError) => void,
  ) {
    this.line = new LineProcess(monitor, where, log, spec.name, isClosed, fault);
    monitor.onLine((text) => this.event(text));
  }

  assertAlive(): void {
    this.line.assertAlive();
  }

  /** The level from the last edge: gpiomon holds the line, so nothing else can read it. */
  read(): boolean {
    if (this.isClosed()) {
      throw new DriverError('GPIO_UNAVAILABLE', `cannot read '${this.spec.name}': closed`);
    }
    this.line.assertAlive();
    return this.last;
  }

  onChange(listener: (on: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  release(): void {
    this.line.process.kill('SIGTERM');
  }

  private event(text: string): void {
    // '%E %o': the edge as a word ('%e' is a digit whose meaning changed between versions),
    // already in logical terms with --active-low.
    const match = /^\s*(rising|falling)\s+\d+\s*$/.exec(text);
    if (!match) {
      this.log.warn({ name: this.spec.name, text }, 'unexpected gpiomon output');
      return;
    }
    const on = match[1] === 'rising';
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
