import { DriverError } from '../errors.js';
import type { DriverLogger } from '../logger.js';
import type { OutputPin } from './gpio.js';

/** Timers on a monotonic clock (ms), injectable so tests control time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => performance.now(),
};

export type ReleaseResult = 'energised' | 'queued' | 'refused';

export interface SolenoidBankOptions {
  /** Solenoid outputs by slot number. */
  outputs: Map<number, OutputPin>;
  /** Longest continuous on-time a solenoid tolerates. */
  maxOnMs: number;
  /** How many solenoids the supply can hold energised at the same instant. */
  maxConcurrent: number;
  /** Thermal rest after every de-energise before the same solenoid may be energised again. */
  minOffMs?: number;
  timers?: Timers;
  logger: DriverLogger;
}

interface Pulse {
  startedAt: number;
  offAt: number;
  timer: unknown;
}

interface Request {
  slot: number;
  /** The requester's own end time: a request still queued at its deadline is dropped. */
  deadline: number;
}

/**
 * The hardware's limits, enforced below the domain so no bug above can exceed them:
 * - a solenoid is never continuously on for more than `maxOnMs`;
 * - at most `maxConcurrent` are energised at any instant; more requests wait in a FIFO queue
 *   until their own deadline (requested at t for ms ⇒ deadline t+ms);
 * - after being de-energised, a solenoid rests `minOffMs` before it may be energised again.
 *
 * Releasing a slot that is already energised re-arms it to min(ms, maxOnMs) from now, but never
 * beyond `maxOnMs` after the start of its continuous on-time; it is never shortened. Time asked
 * beyond a cap is dropped, not carried over: renewing a long release is the caller's job (the
 * cabinet flow renews pulse by pulse), and carrying it over would turn the cap into a blink.
 *
 * Queued requests are served first come, first served among those allowed to run: a resting
 * slot at the head does not hold back the ones behind it.
 */
export class SolenoidBank {
  private readonly pins: ReadonlyMap<number, OutputPin>;
  private readonly maxOnMs: number;
  private readonly maxConcurrent: number;
  private readonly minOffMs: number;
  private readonly timers: Timers;
  private readonly log: DriverLogger;
  private readonly pulses = new Map<number, Pulse>();
  private readonly lastOffAt = new Map<number, number>();
  private queue: Request[] = [];
  private wake: { at: number; handle: unknown } | undefined;

  constructor(options: SolenoidBankOptions) {
    const { maxOnMs, maxConcurrent, minOffMs = 0 } = options;
    if (!(Number.isFinite(maxOnMs) && maxOnMs > 0)) {
      throw new DriverError('INVALID_SETTING', `solenoid maxOnMs must be > 0, got ${maxOnMs}`);
    }
    if (!(Number.isInteger(maxConcurrent) && maxConcurrent >= 1)) {
      throw new DriverError(
        'INVALID_SETTING',
        `solenoid maxConcurrent must be an integer >= 1, got ${maxConcurrent}`,
      );
    }
    if (!(Number.isFinite(minOffMs) && minOffMs >= 0)) {
      throw new DriverError('INVALID_SETTING', `solenoid minOffMs must be >= 0, got ${minOffMs}`);
    }
    this.pins = new Map(options.outputs);
    this.maxOnMs = maxOnMs;
    this.maxConcurrent = maxConcurrent;
    this.minOffMs = minOffMs;
    this.timers = options.timers ?? systemTimers;
    this.log = options.logger.child({ module: 'gpio.solenoid-bank' });
    // Whatever state a previous run left behind, start from "everything locked".
    for (const [slot, pin] of this.pins) this.driveOff(slot, pin);
    this.log.debug({ slots: [...this.pins.keys()], maxOnMs, maxConcurrent, minOffMs }, 'ready');
  }

  release(slot: number, ms: number): ReleaseResult {
    const pin = this.pins.get(slot);
    if (!pin) {
      this.log.warn({ slot }, 'release refused: unknown slot');
      return 'refused';
    }
    if (!(Number.isFinite(ms) && ms > 0)) {
      this.log.warn({ slot, ms }, 'release refused: duration must be > 0');
      return 'refused';
    }
    const now = this.timers.now();
    this.settle(now);
    const pulse = this.pulses.get(slot);
    if (pulse) {
      this.extend(slot, pulse, now, ms);
      return 'energised';
    }
    const deadline = now + ms;
    const waiting = this.queue.find((r) => r.slot === slot);
    if (waiting) {
      waiting.deadline = Math.max(waiting.deadline, deadline);
      this.log.debug({ slot, deadline: waiting.deadline }, 'queued release renewed');
    } else if (!this.resting(slot, now) && this.pulses.size < this.maxConcurrent) {
      return this.energise(slot, pin, now, ms) ? 'energised' : 'refused';
    } else {
      this.queue.push({ slot, deadline });
      const reason = this.resting(slot, now) ? 'resting' : 'budget';
      this.log.debug({ slot, deadline, reason, queued: this.queue.length }, 'release queued');
    }
    this.scheduleWake(now);
    return 'queued';
  }

  lock(slot: number): void {
    const pin = this.pins.get(slot);
    if (!pin) {
      this.log.warn({ slot }, 'lock of unknown slot ignored');
      return;
    }
    const now = this.timers.now();
    const before = this.queue.length;
    this.queue = this.queue.filter((r) => r.slot !== slot);
    if (this.queue.length < before) this.log.debug({ slot }, 'queued release withdrawn');
    if (this.pulses.has(slot)) this.deenergise(slot, now, 'locked');
    else this.driveOff(slot, pin); // belt and braces: costs one write
    this.settle(now);
  }

  /** Everything off and nothing pending. Used by the fail-secure path: never throws for a pin. */
  lockAll(): void {
    const now = this.timers.now();
    if (this.queue.length > 0) this.log.debug({ dropped: this.queue.length }, 'queue cleared');
    this.queue = [];
    this.clearWake();
    for (const [slot, pin] of this.pins) {
      if (this.pulses.has(slot)) this.deenergise(slot, now, 'locked');
      else this.driveOff(slot, pin);
    }
  }

  isEnergised(slot: number): boolean {
    return this.pulses.has(slot);
  }

  energisedSlots(): number[] {
    return [...this.pulses.keys()].sort((a, b) => a - b);
  }

  private extend(slot: number, pulse: Pulse, now: number, ms: number): void {
    const capAt = pulse.startedAt + this.maxOnMs;
    const offAt = Math.min(now + Math.min(ms, this.maxOnMs), capAt);
    if (offAt > pulse.offAt) {
      this.timers.clearTimeout(pulse.timer);
      pulse.offAt = offAt;
      pulse.timer = this.timers.setTimeout(() => this.expire(slot, pulse), offAt - now);
      this.log.debug({ slot, offInMs: offAt - now }, 'release extended');
    }
    if (now + ms > offAt) {
      this.log.debug({ slot, droppedMs: now + ms - offAt }, 'release capped at maxOnMs');
    }
  }

  private energise(slot: number, pin: OutputPin, now: number, ms: number): boolean {
    const onMs = Math.min(ms, this.maxOnMs);
    try {
      pin.write(true);
    } catch (err) {
      this.log.error({ err, slot }, 'could not energise solenoid');
      this.driveOff(slot, pin);
      return false;
    }
    const pulse: Pulse = { startedAt: now, offAt: now + onMs, timer: undefined };
    pulse.timer = this.timers.setTimeout(() => this.expire(slot, pulse), onMs);
    this.pulses.set(slot, pulse);
    this.log.debug({ slot, onMs, cappedFromMs: ms > onMs ? ms : undefined }, 'energised');
    return true;
  }

  private expire(slot: number, pulse: Pulse): void {
    const now = this.timers.now();
    // Identity check: a lock followed by a new pulse must not be cut by the old timer.
    if (this.pulses.get(slot) === pulse) this.deenergise(slot, now, 'expired');
    this.settle(now);
  }

  private deenergise(slot: number, now: number, reason: 'expired' | 'locked'): void {
    const pulse = this.pulses.get(slot);
    if (!pulse) return;
    this.timers.clearTimeout(pulse.timer);
    this.pulses.delete(slot);
    this.lastOffAt.set(slot, now);
    const pin = this.pins.get(slot);
    if (pin) this.driveOff(slot, pin);
    this.log.debug({ slot, reason, onMs: now - pulse.startedAt }, 'de-energised');
  }

  private driveOff(slot: number, pin: OutputPin): void {
    try {
      pin.write(false);
    } catch (err) {
      this.log.error({ err, slot }, 'could not de-energise solenoid');
    }
  }

  /**
   * Brings state in line with the clock: cuts overdue pulses (a late timer must not stretch a
   * pulse), drops requests past their deadline, then serves the queue within the budget.
   */
  private settle(now: number): void {
    for (const [slot, pulse] of this.pulses) {
      if (pulse.offAt <= now) this.deenergise(slot, now, 'expired');
    }
    this.queue = this.queue.filter((r) => {
      if (r.deadline > now) return true;
      this.log.warn({ slot: r.slot }, 'queued release dropped: deadline passed while waiting');
      return false;
    });
    for (const request of [...this.queue]) {
      if (this.pulses.size >= this.maxConcurrent) break;
      if (this.resting(request.slot, now)) continue;
      this.queue = this.queue.filter((r) => r !== request);
      const pin = this.pins.get(request.slot);
      if (pin) this.energise(request.slot, pin, now, request.deadline - now);
    }
    this.scheduleWake(now);
  }

  private resting(slot: number, now: number): boolean {
    const offAt = this.lastOffAt.get(slot);
    return offAt !== undefined && now < offAt + this.minOffMs;
  }

  /** One timer for the queue: the next rest that ends or the next deadline that passes. */
  private scheduleWake(now: number): void {
    let at = Infinity;
    for (const r of this.queue) {
      at = Math.min(at, r.deadline);
      const offAt = this.lastOffAt.get(r.slot);
      if (this.resting(r.slot, now) && offAt !== undefined)
        at = Math.min(at, offAt + this.minOffMs);
    }
    if (this.wake?.at === at) return;
    this.clearWake();
    if (at === Infinity) return;
    const handle = this.timers.setTimeout(() => {
      this.wake = undefined;
      this.settle(this.timers.now());
    }, at - now);
    this.wake = { at, handle };
  }

  private clearWake(): void {
    if (this.wake) this.timers.clearTimeout(this.wake.handle);
    this.wake = undefined;
  }
}
