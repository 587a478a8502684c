import { expect, it } from 'vitest';
import { CabinetScenario } from '../../support/cabinet-scenario.js';

/** A contractor (Bob) whose end date is 30 s after the scenario starts. */
function contractor() {
  const s = new CabinetScenario();
  const untilMs = s.clock.wallMs() + 30_000;
  s.directory.holders[1]!.validUntilMs = untilMs;
  s.directory.validityEnds.push({ kind: 'holder', id: 2, holderId: 2, untilMs });
  s.send({ kind: 'tick' }); // the first tick starts the watch from its own time
  return { s, untilMs };
}

it('the end is recorded at its instant, once, with no custodian action', () => {
  const { s, untilMs } = contractor();
  s.advance(30_000 - 1);
  expect(s.eventTypes()).toEqual([]);
  s.advance(1);
  expect(s.events).toEqual([
    {
      type: 'validity.expired',
      data: { kind: 'holder', id: 2, holderId: 2, until: new Date(untilMs).toISOString() },
    },
  ]);
  s.advance(60_000);
  expect(s.eventTypes()).toEqual(['validity.expired']);
});

it('a wall clock stepped back across the end does not record it twice', () => {
  const { s } = contractor();
  s.advance(31_000);
  s.clock.stepWall(-10_000);
  s.advance(20_000);
  expect(s.eventTypes()).toEqual(['validity.expired']);
});

it('ends that passed while the daemon was stopped are recorded at start from the stored mark', () => {
  const { s, untilMs } = contractor();
  // Stopped before the end; restarted after it with the mark the store kept.
  s.state = { ...s.state, expiriesUntil: untilMs - 5_000 };
  s.clock.advance(3_600_000);
  s.send({ kind: 'tick' });
  expect(s.eventTypes()).toEqual(['validity.expired']);
});
