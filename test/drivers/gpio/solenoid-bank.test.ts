import { describe, expect, it } from 'vitest';
import type { OutputPin } from '../../../drivers/gpio/gpio.js';
import { SimGpioDriver } from '../../../drivers/gpio/sim-gpio.js';
import { SolenoidBank, type SolenoidBankOptions } from '../../../drivers/gpio/solenoid-bank.js';
import { isDriverError } from '../../../drivers/errors.js';
import { silentLogger } from '../../../src/log/logger.js';
import { FakeTimers } from './fake-timers.js';

type Limits = Pick<SolenoidBankOptions, 'maxOnMs' | 'maxConcurrent' | 'minOffMs'>;

function setup(limits: Limits, slots = 3) {
  const timers = new FakeTimers();
  const sim = new SimGpioDriver({ logger: silentLogger(), now: () => timers.now() });
  const outputs = new Map<number, OutputPin>();
  for (let slot = 1; slot <= slots; slot++) {
    outputs.set(slot, sim.output({ bcm: slot, name: `slot${slot}.solenoid` }));
  }
  const bank = new SolenoidBank({ outputs, ...limits, timers, logger: silentLogger() });
  const on = (slot: number) => outputs.get(slot)?.state;
  return { bank, timers, sim, outputs, on };
}

describe('SolenoidBank', () => {
  it('drives every solenoid off when constructed', () => {
    const sim = new SimGpioDriver({ logger: silentLogger() });
    const outputs = new Map([1, 2].map((s) => [s, sim.output({ bcm: s, name: `s${s}` })]));
    for (const pin of outputs.values()) pin.write(true);
    new SolenoidBank({ outputs, maxOnMs: 1000, maxConcurrent: 1, logger: silentLogger() });
    expect(sim.outputs().map((o) => o.on)).toEqual([false, false]);
  });

  it('ends a pulse after the requested time', () => {
    const { bank, timers, on } = setup({ maxOnMs: 10_000, maxConcurrent: 1 });
    expect(bank.release(1, 500)).toBe('energised');
    timers.advance(499);
    expect(on(1)).toBe(true);
    timers.advance(1);
    expect([on(1), bank.isEnergised(1)]).toEqual([false, false]);
  });

  it('cuts a pulse at maxOnMs when asked for longer', () => {
    const { bank, timers, on } = setup({ maxOnMs: 3000, maxConcurrent: 1 });
    bank.release(1, 60_000);
    timers.advance(2999);
    expect(on(1)).toBe(true);
    timers.advance(1);
    expect(on(1)).toBe(false);
    timers.advance(60_000);
    expect(on(1)).toBe(false);
  });

  it('extends an energised slot, but never past maxOnMs of continuous on-time', () => {
    const { bank, timers, on } = setup({ maxOnMs: 2000, maxConcurrent: 1 });
    bank.release(1, 1000);
    timers.advance(800);
    expect(bank.release(1, 1000)).toBe('energised');
    timers.advance(900); // t=1700: past the first pulse's end
    expect(on(1)).toBe(true);
    bank.release(1, 1000); // would end at 2700
    timers.advance(300); // t=2000: the cap
    expect(on(1)).toBe(false);
  });

  it('queues beyond maxConcurrent and energises when a unit frees', () => {
    const { bank, timers, on } = setup({ maxOnMs: 10_000, maxConcurrent: 2 });
    bank.release(1, 1000);
    bank.release(2, 3000);
    expect(bank.release(3, 5000)).toBe('queued');
    expect(bank.energisedSlots()).toEqual([1, 2]);
    timers.advance(1000);
    expect(bank.energisedSlots()).toEqual([2, 3]);
    timers.advance(3999); // slot 3 runs to its own deadline, t=5000
    expect(on(3)).toBe(true);
    timers.advance(1);
    expect(on(3)).toBe(false);
  });

  it('drops a queued request whose deadline passes while it waits', () => {
    const { bank, timers, on } = setup({ maxOnMs: 10_000, maxConcurrent: 1 });
    bank.release(1, 3000);
    expect(bank.release(2, 1000)).toBe('queued');
    timers.advance(5000);
    expect(on(2)).toBe(false);
    expect(timers.pendingCount).toBe(0);
  });

  it('serves the queue in order of request', () => {
    const { bank, timers } = setup({ maxOnMs: 10_000, maxConcurrent: 1 });
    bank.release(1, 1000);
    bank.release(3, 5000);
    bank.release(2, 5000);
    timers.advance(1000);
    expect(bank.energisedSlots()).toEqual([3]);
  });

  it('lock de-energises at once, withdraws a queued request and frees the unit', () => {
    const { bank, on } = setup({ maxOnMs: 10_000, maxConcurrent: 1 });
    bank.release(1, 5000);
    bank.release(2, 5000);
    bank.release(3, 5000);
    bank.lock(2);
    bank.lock(1);
    expect([on(1), on(2), on(3)]).toEqual([false, false, true]);
  });

  it('lockAll turns everything off and forgets the queue', () => {
    const { bank, timers, on } = setup({ maxOnMs: 10_000, maxConcurrent: 1 });
    bank.release(1, 5000);
    bank.release(2, 5000);
    bank.lockAll();
    timers.advance(10_000);
    expect([on(1), on(2), bank.energisedSlots()]).toEqual([false, false, []]);
  });

  it('rests a solenoid for minOffMs after it goes off, queueing a release meanwhile', () => {
    const { bank, timers, on } = setup({ maxOnMs: 10_000, maxConcurrent: 1, minOffMs: 1000 });
    bank.release(1, 500);
    timers.advance(500);
    expect(bank.release(1, 2000)).toBe('queued');
    timers.advance(999);
    expect(on(1)).toBe(false);
    timers.advance(1);
    expect(on(1)).toBe(true);
    timers.advance(1000); // energised for what was left of its 2000 ms: ends at t=2500
    expect(on(1)).toBe(false);
  });

  it('cuts an overdue pulse when its timer runs late, before serving a new release', () => {
    const { bank, timers, on } = setup({ maxOnMs: 10_000, maxConcurrent: 1 });
    bank.release(1, 1000);
    timers.stall(1500);
    expect(bank.release(2, 1000)).toBe('energised');
    expect([on(1), on(2)]).toEqual([false, true]);
  });

  it('refuses unknown slots and non-positive durations', () => {
    const { bank } = setup({ maxOnMs: 1000, maxConcurrent: 1 });
    expect(bank.release(9, 100)).toBe('refused');
    expect(bank.release(1, 0)).toBe('refused');
    expect(bank.release(1, Number.NaN)).toBe('refused');
    expect(bank.energisedSlots()).toEqual([]);
  });

  it('rejects limits that protect nothing', () => {
    for (const limits of [
      { maxOnMs: 0, maxConcurrent: 1 },
      { maxOnMs: 1000, maxConcurrent: 0 },
      { maxOnMs: 1000, maxConcurrent: 1, minOffMs: -1 },
    ]) {
      let err: unknown;
      try {
        new SolenoidBank({ outputs: new Map(), ...limits, logger: silentLogger() });
      } catch (e) {
        err = e;
      }
      expect(isDriverError(err, 'INVALID_SETTING')).toBe(true);
    }
  });
});
