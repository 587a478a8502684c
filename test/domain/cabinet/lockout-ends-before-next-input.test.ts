import { expect, it } from 'vitest';
import { CabinetScenario } from '../../support/cabinet-scenario.js';

it('a lockout that ran its time records its own lockout.ended before the next input, with no tick between', () => {
  const s = new CabinetScenario();
  for (const card of ['0000000001', '0000000002', '0000000003']) s.send({ kind: 'badge', card });
  s.send({ kind: 'badge', card: '0000000004' }); // refused during the lockout, counted
  // Past the 10 s lockout, but the daemon's tick has not run yet.
  s.clock.advance(10_001);
  const before = s.events.length;
  for (const card of ['0000000005', '0000000006', '0000000007']) s.send({ kind: 'badge', card });
  const after = s.events.slice(before);
  const ended = after.findIndex((e) => e.type === 'lockout.ended');
  const started = after.findIndex((e) => e.type === 'lockout.started');
  expect(after[ended]).toEqual({
    type: 'lockout.ended',
    data: { subject: 'reader', refusedCards: 1 },
  });
  expect(ended).toBe(0);
  expect(started).toBeGreaterThan(ended);
  expect(after[started]).toMatchObject({ type: 'lockout.started', data: { subject: 'reader' } });
});
