import { expect, it } from 'vitest';
import fc from 'fast-check';
import { detectClockStep } from '../../src/domain/clock-step.js';

const T0 = Date.parse('2026-11-24T09:00:00Z');

it('wall and monotonic moving together is no step', () => {
  expect(
    detectClockStep(
      { wallMs: T0, monotonicMs: 5_000 },
      { wallMs: T0 + 100, monotonicMs: 5_100 },
      2_000,
    ),
  ).toBeNull();
});

it('a jump of the wall clock is a step: from what it would read, to what it reads', () => {
  const step = detectClockStep(
    { wallMs: T0, monotonicMs: 5_000 },
    { wallMs: T0 + 100 + 288_000, monotonicMs: 5_100 },
    2_000,
  );
  expect(step).toEqual({ fromMs: T0 + 100, toMs: T0 + 288_100, deltaMs: 288_000 });
  expect(
    detectClockStep(
      { wallMs: T0, monotonicMs: 0 },
      { wallMs: T0 - 3_600_000, monotonicMs: 0 },
      2_000,
    ),
  ).toEqual({ fromMs: T0, toMs: T0 - 3_600_000, deltaMs: -3_600_000 });
});

it('a slew below the threshold is not a step, one at it is; a late tick changes nothing', () => {
  const prev = { wallMs: T0, monotonicMs: 0 };
  expect(detectClockStep(prev, { wallMs: T0 + 1_999, monotonicMs: 0 }, 2_000)).toBeNull();
  expect(detectClockStep(prev, { wallMs: T0 - 2_000, monotonicMs: 0 }, 2_000)?.deltaMs).toBe(
    -2_000,
  );
  expect(detectClockStep(prev, { wallMs: T0 + 60_000, monotonicMs: 60_000 }, 2_000)).toBeNull();
});

it('the reported delta is exactly the change of the offset between the clocks', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1e9 }),
      fc.integer({ min: 0, max: 1e7 }),
      fc.integer({ min: -1e8, max: 1e8 }),
      (mono, elapsed, jump) => {
        const step = detectClockStep(
          { wallMs: T0, monotonicMs: mono },
          { wallMs: T0 + elapsed + jump, monotonicMs: mono + elapsed },
          2_000,
        );
        if (Math.abs(jump) < 2_000) return step === null;
        return step?.deltaMs === jump && step.toMs - step.fromMs === jump;
      },
    ),
  );
});
