import { expect, it } from 'vitest';
import type { Effect } from '../../../src/domain/cabinet-effects.js';
import { BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const K1 = 'AA00000001';
const releases = (effects: Effect[]) => effects.filter((e) => e.kind === 'release');

it('the same tag in two slots at once is key.duplicate_fob: an alarm, and the slot is not released', () => {
  const s = new CabinetScenario();
  s.insert(4, K1);
  const effects = s.lastEffects;
  expect(s.events).toEqual([
    {
      type: 'key.duplicate_fob',
      data: { slot: 4, otherSlot: 1, tag: K1, keyId: 100, keyLabel: 'K-1' },
    },
  ]);
  expect(releases(effects)).toEqual([]);
  expect(s.state.alarms).toMatchObject([{ type: 'key.duplicate_fob', slot: 4 }]);
  // A repeated report is the same alarm, not another one.
  s.send({ kind: 'fob', slot: 4, tag: K1 });
  expect(s.events).toHaveLength(1);
});

it('the alarm clears when the slot reads otherwise', () => {
  const s = new CabinetScenario();
  s.insert(4, K1);
  s.send({ kind: 'fob', slot: 4, tag: null });
  expect(s.eventTypes()).toEqual(['key.duplicate_fob', 'alarm.cleared']);
  expect(s.state.alarms).toEqual([]);
});

it('whatever was in the locked slot, pulling it out is key.forced', () => {
  const s = new CabinetScenario();
  s.insert(4, K1);
  s.take(4);
  expect(s.eventTypes()).toEqual(['key.duplicate_fob', 'alarm.cleared', 'key.forced']);
  expect(s.state.alarms).toMatchObject([{ type: 'key.forced', slot: 4 }]);
});

/**
 * The attack of issue 9: bytes written on the fob reader's line, door locked, no session. The
 * slot's switch still shows K-3, so "empty" is not believed; K-1's tag is in slot 1, so the
 * report is a duplicate. Nothing is energised, then or later.
 */
function forgedReports(): CabinetScenario {
  const s = new CabinetScenario();
  s.send({ kind: 'fob', slot: 3, tag: null }); // "S03:-"
  expect(s.events).toEqual([]);
  s.send({ kind: 'fob', slot: 3, tag: K1 }); // "S03:AA00000001"
  expect(releases(s.lastEffects)).toEqual([]);
  return s;
}

it('forged fob reports on a locked slot energise nothing and raise key.duplicate_fob', () => {
  const s = forgedReports();
  expect(s.eventTypes()).toEqual(['key.duplicate_fob']);
  const later: Effect[] = [];
  for (let i = 0; i < 60; i++) later.push(...s.advance(1_000));
  expect(releases(later)).toEqual([]);
});

it('after forged reports the slot is withheld from sessions; pulling the key out is key.forced, for the key that is there', () => {
  const s = forgedReports();
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [] } });
  expect(releases(s.lastEffects)).toEqual([]);
  s.send({ kind: 'door', open: true });
  s.take(3);
  expect(s.eventTypes().slice(-2)).toEqual(['alarm.cleared', 'key.forced']);
  expect(s.events.at(-1)).toEqual({
    type: 'key.forced',
    data: { slot: 3, keyId: 300, keyLabel: 'K-3' },
  });
});

it('a fob report of an empty slot whose switch shows a key is not a departure', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'fob', slot: 2, tag: null });
  expect(s.events).toEqual([]);
  expect(s.state.slots[1]).toMatchObject({ occupied: true, tag: 'AA00000002' });
});
