import type { OutputPin } from '../../drivers/gpio/gpio.js';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { SolenoidBank } from '../../drivers/gpio/solenoid-bank.js';
import type { CabinetInput } from '../../src/domain/cabinet-inputs.js';
import type { Effect } from '../../src/domain/cabinet-effects.js';
import { createLogger, silentLogger, type Logger } from '../../src/log/logger.js';
import { FakeTimers } from '../drivers/gpio/fake-timers.js';
import { CabinetScenario } from './cabinet-scenario.js';

/** The rpi-8slot profile's solenoid supply (hardware/rpi-8slot.json): two coils at once. */
export const RPI_8SLOT_SOLENOIDS = { maxOnMs: 10_000, maxConcurrent: 2, minOffMs: 500 };

/**
 * A CabinetScenario whose release and lock effects drive the real SolenoidBank (the driver that
 * enforces the supply's budget), on fake timers that move with the scenario's fake clock. Shows
 * what the coils do, and whether the bank had to drop a queued release.
 */
export class PoweredScenario extends CabinetScenario {
  readonly timers = new FakeTimers();
  readonly bank: SolenoidBank;
  /** Warnings the bank logged ('queued release dropped: …'). */
  readonly warnings: string[] = [];
  /** Per advance step, the slots energised: the whole history, for "never" assertions. */
  readonly energisedOverTime: Array<{ at: number; slots: number[] }> = [];

  constructor(slotCount: number, limits = RPI_8SLOT_SOLENOIDS) {
    super(slotCount);
    const sim = new SimGpioDriver({ logger: silentLogger(), now: () => this.timers.now() });
    const outputs = new Map<number, OutputPin>();
    for (let slot = 1; slot <= slotCount; slot++) {
      outputs.set(slot, sim.output({ bcm: slot, name: `slot${slot}.solenoid` }));
    }
    this.bank = new SolenoidBank({
      outputs,
      ...limits,
      timers: this.timers,
      logger: this.recordingLogger(),
    });
  }

  override send(input: CabinetInput): Effect[] {
    const effects = super.send(input);
    // The scenario's constructor sends before the bank exists: nothing to drive yet.
    if (!this.bank) return effects;
    for (const effect of effects) {
      if (effect.kind === 'release') this.bank.release(effect.slot, effect.ms);
      else if (effect.kind === 'lock') this.bank.lock(effect.slot);
    }
    return effects;
  }

  /** Moves time in 100 ms steps (timers and clock together), ticking the flow at each. */
  override advance(ms: number): Effect[] {
    const effects: Effect[] = [];
    for (let left = ms; left > 0; left -= 100) {
      const stepMs = Math.min(100, left);
      this.timers.advance(stepMs);
      effects.push(...super.advance(stepMs));
      this.energisedOverTime.push({ at: this.timers.now(), slots: this.bank.energisedSlots() });
    }
    return effects;
  }

  /** The bank's warnings, synchronously (pino writes to a plain object stream). */
  private recordingLogger(): Logger {
    const warnings = this.warnings;
    return createLogger({
      level: 'warn',
      pretty: false,
      destination: {
        write(line: string) {
          warnings.push((JSON.parse(line) as { msg: string }).msg);
          return true;
        },
      } as unknown as NodeJS.WritableStream,
    });
  }
}
