import { expect, it } from 'vitest';
import { initialCabinetState } from '../../../src/domain/cabinet-state.js';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const K1 = 'AA00000001';
const K2 = 'AA00000002';
const K3 = 'AA00000003';

/** The cabinet as it comes up after a restart: nothing known until the readers report. */
function restarted(s: CabinetScenario): void {
  s.state = initialCabinetState(4);
  s.events.length = 0;
}

it('a key at home with a loan open was returned unrecorded: the loan is closed', () => {
  const s = new CabinetScenario();
  s.directory.loans.push({
    keyId: 100,
    holderId: 1,
    slot: 1,
    outAtMs: Date.parse('2026-11-24T08:00:00Z'),
  });
  // Seen by its switch only (no fob read yet): a fob read at home would check it in instead.
  restarted(s);
  s.send({ kind: 'presence', slot: 1, present: true });
  s.insert(2, K2);
  s.insert(3, K3);
  s.send({ kind: 'reconcile' });
  expect(s.events).toEqual([
    {
      type: 'key.returned_unrecorded',
      data: {
        keyId: 100,
        keyLabel: 'K-1',
        slot: 1,
        holderId: 1,
        holderName: 'Alice',
        outAt: '2026-11-24T08:00:00.000Z',
      },
    },
  ]);
  expect(s.directory.loans).toEqual([]);
  expect(s.state.alarms).toEqual([]); // a return is good news, not an alarm
  s.send({ kind: 'reconcile' });
  expect(s.events).toHaveLength(1);
});

it('a key neither in the cabinet nor on loan is key.missing, an alarm until it is back', () => {
  const s = new CabinetScenario();
  restarted(s);
  s.insert(2, K2);
  s.insert(3, K3);
  const effects = s.send({ kind: 'reconcile' });
  expect(s.events).toEqual([
    { type: 'key.missing', data: { keyId: 100, keyLabel: 'K-1', slot: 1 } },
  ]);
  expect(effects).toContainEqual({ kind: 'signal', signal: 'alarm' });
  expect(s.state.alarms).toMatchObject([{ type: 'key.missing', slot: 1 }]);
  // Asked again, the same key is not announced twice.
  s.send({ kind: 'reconcile' });
  expect(s.eventTypes()).toEqual(['key.missing']);
  s.insert(1, K1);
  expect(s.state.alarms).toEqual([]);
  expect(s.eventTypes()).toEqual(['key.missing', 'alarm.cleared']);
});

it('a key out on a loan and absent is as recorded: nothing to say', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.take(1);
  s.send({ kind: 'door', open: false });
  s.events.length = 0;
  s.send({ kind: 'reconcile' });
  expect(s.events).toEqual([]);
});

it('a key already reported forced is not reported missing as well', () => {
  const s = new CabinetScenario();
  s.take(1);
  s.send({ kind: 'reconcile' });
  expect(s.eventTypes()).toEqual(['key.forced']);
});

it('a key in a wrong slot is in the cabinet: not missing, and its loan stays open', () => {
  const s = new CabinetScenario();
  s.directory.loans.push({ keyId: 100, holderId: 1, slot: 1, outAtMs: 0 });
  restarted(s);
  s.insert(4, K1);
  s.insert(2, K2);
  s.insert(3, K3);
  s.send({ kind: 'reconcile' });
  expect(s.eventTypes()).toEqual(['key.wrong_slot']);
  expect(s.directory.loans).toHaveLength(1);
});

it('the key a swap took away is accounted for by key.swapped, not reported missing', () => {
  const s = new CabinetScenario();
  s.take(2); // K-2 forced out of slot 2 …
  s.send({ kind: 'fob', slot: 1, tag: K2 }); // … and put in place of K-1
  s.events.length = 0;
  s.send({ kind: 'reconcile' });
  expect(s.events).toEqual([]);
});

it('a lost, stolen or retired key is not in service: absent is not missing', () => {
  const s = new CabinetScenario();
  const k1 = s.directory.keys[0];
  if (k1) k1.state = 'lost';
  restarted(s);
  s.insert(2, K2);
  s.insert(3, K3);
  s.send({ kind: 'reconcile' });
  expect(s.events).toEqual([]);
});
