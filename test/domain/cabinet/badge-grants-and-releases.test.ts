import { expect, it, vi } from 'vitest';
import { ALICE_CARD, CabinetScenario, kinds } from '../../support/cabinet-scenario.js';

it('a permitted badge records access.granted first, then unlocks the door and releases the slots holding keys', () => {
  const s = new CabinetScenario();
  const effects = s.send({ kind: 'badge', card: ALICE_CARD });
  expect(kinds(effects)).toEqual(['record:access.granted', 'door', 'release', 'release', 'signal']);
  expect(effects).toContainEqual({ kind: 'release', slot: 1, ms: 10_000 });
  expect(effects).toContainEqual({ kind: 'release', slot: 2, ms: 10_000 });
  expect(s.events[0]).toEqual({
    type: 'access.granted',
    data: { holderId: 1, holderName: 'Alice', credentialId: 10, card: '…F444', slots: [1, 2] },
  });
});

it('an empty permitted slot is not released', () => {
  const s = new CabinetScenario();
  s.directory.permissions.push({ holderId: 1, slot: 4 });
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.lastEffects).not.toContainEqual(expect.objectContaining({ kind: 'release', slot: 4 }));
});

it("reads the holder's open loans once per badge (bench/README.md, badge-latency: the daemon's own work)", () => {
  const s = new CabinetScenario();
  const openLoansOf = vi.spyOn(s.directory, 'openLoansOf');
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events[0]?.type).toBe('access.granted');
  expect(openLoansOf).toHaveBeenCalledTimes(1);
});
