import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutputPin } from '../../../drivers/gpio/gpio.js';
import { SimGpioDriver } from '../../../drivers/gpio/sim-gpio.js';
import { SolenoidBank } from '../../../drivers/gpio/solenoid-bank.js';
import { silentLogger } from '../../../src/log/logger.js';
import { FakeTimers } from './fake-timers.js';

const SLOTS = [1, 2, 3];

// Few slots and short steps, so re-releases of an energised or resting slot are common.
const action = fc.oneof(
  {
    weight: 5,
    // Slot 0 does not exist: the bank must refuse it without side effects.
    arbitrary: fc.record({
      kind: fc.constant('release' as const),
      slot: fc.integer({ min: 0, max: SLOTS.length }),
      ms: fc.integer({ min: 1, max: 12_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('lock' as const),
      slot: fc.integer({ min: 0, max: SLOTS.length }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'lockAll' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 3000 }),
    }),
  },
);

const limits = fc.record({
  maxOnMs: fc.integer({ min: 1, max: 4000 }),
  maxConcurrent: fc.integer({ min: 1, max: 2 }),
  minOffMs: fc.integer({ min: 0, max: 2000 }),
});

describe('SolenoidBank safety limits', () => {
  it('never exceeds maxConcurrent, maxOnMs or minOffMs, whatever is asked', () => {
    fc.assert(
      fc.property(limits, fc.array(action, { maxLength: 60 }), (limit, actions) => {
        const timers = new FakeTimers();
        const sim = new SimGpioDriver({ logger: silentLogger(), now: () => timers.now() });
        const outputs = new Map<number, OutputPin>(
          SLOTS.map((s) => [s, sim.output({ bcm: s, name: `slot${s}` })]),
        );
        // Checked on every electrical write, i.e. at every instant something changes.
        const violations: string[] = [];
        const onSince = new Map<string, number>();
        const lastOff = new Map<string, number>();
        sim.onOutput(({ name, on, at }) => {
          const since = onSince.get(name);
          if (on && since === undefined) {
            onSince.set(name, at);
            if (onSince.size > limit.maxConcurrent) violations.push(`${onSince.size} on at ${at}`);
            const off = lastOff.get(name);
            if (off !== undefined && at - off < limit.minOffMs)
              violations.push(`${name} rested ${at - off}`);
          } else if (!on && since !== undefined) {
            onSince.delete(name);
            lastOff.set(name, at);
            if (at - since > limit.maxOnMs) violations.push(`${name} on for ${at - since}`);
          }
        });
        const bank = new SolenoidBank({ outputs, ...limit, timers, logger: silentLogger() });

        for (const a of actions) {
          if (a.kind === 'release') {
            const result = bank.release(a.slot, a.ms);
            if (result === 'energised' && !bank.isEnergised(a.slot)) violations.push('lied');
          } else if (a.kind === 'lock') bank.lock(a.slot);
          else if (a.kind === 'lockAll') bank.lockAll();
          else timers.advance(a.ms);

          for (const [name, since] of onSince) {
            if (timers.now() - since > limit.maxOnMs) violations.push(`${name} still on`);
          }
          const physicallyOn = SLOTS.filter((s) => outputs.get(s)?.state);
          expect(bank.energisedSlots()).toEqual(physicallyOn);
        }
        expect(violations).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
