import { expect, it } from 'vitest';
import { initialCabinetState } from '../../../src/domain/cabinet-state.js';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

/**
 * The daemon restarts (power cut, crash) with K-1 on Alice's loan hanging in slot 4: the switches
 * and the fob reader report what is there, then reconciliation runs.
 */
function restartedWithKeyInSlot4(): CabinetScenario {
  const s = new CabinetScenario();
  s.directory.loans.push({
    keyId: 100,
    holderId: 1,
    slot: 1,
    outAtMs: Date.parse('2026-11-24T08:00:00Z'),
  });
  s.state = initialCabinetState(4);
  s.events.length = 0;
  s.insert(2, 'AA00000002');
  s.insert(3, 'AA00000003');
  s.insert(4, 'AA00000001');
  s.send({ kind: 'reconcile' });
  return s;
}

it('after a restart a key in the wrong slot is key.wrong_slot again, stays on its loan, and nothing is energised', () => {
  const s = restartedWithKeyInSlot4();
  expect(s.eventTypes()).toEqual(['key.wrong_slot']);
  expect(s.lastEffects.filter((e) => e.kind === 'release')).toEqual([]);
  expect(s.advance(60_000).filter((e) => e.kind === 'release')).toEqual([]);
  expect(s.state.alarms).toMatchObject([{ type: 'key.wrong_slot', slot: 4 }]);
  expect(s.directory.loans).toHaveLength(1);
});

it('moved home in its borrower’s next session, it is checked in and the alarm is gone', () => {
  const s = restartedWithKeyInSlot4();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.take(4);
  s.insert(1, 'AA00000001');
  s.send({ kind: 'door', open: false });
  expect(s.eventTypes().slice(1)).toEqual(['access.granted', 'alarm.cleared', 'key.checked_in']);
  expect(s.state.alarms).toEqual([]);
  expect(s.directory.loans).toEqual([]);
});
