import { expect, it } from 'vitest';
import { CabinetScenario } from '../../support/cabinet-scenario.js';

it('a key leaving a slot that was not released is key.forced (an alarm), once for both sensors', () => {
  const s = new CabinetScenario();
  s.take(3);
  expect(s.events).toEqual([
    { type: 'key.forced', data: { slot: 3, keyId: 300, keyLabel: 'K-3' } },
  ]);
  expect(s.lastEffects).toEqual([]);
});

it('a key leaving a slot released for someone else is also forced', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: '100086F444' }); // Alice: slots 1 and 2
  s.send({ kind: 'presence', slot: 3, present: false });
  expect(s.eventTypes()).toEqual(['access.granted', 'key.forced']);
  expect(s.lastEffects).toContainEqual({ kind: 'signal', signal: 'alarm' });
});
