import { expect, it } from 'vitest';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const lockdown = (allowHolders: number[]) =>
  ({ kind: 'lockdown_start', commandId: 'l-1', allowHolders }) as const;

it('during a lockdown every badge is denied with reason lockdown, except the listed holders', () => {
  const s = new CabinetScenario();
  s.send(lockdown([2, 2]));
  expect(s.events[0]).toEqual({
    type: 'lockdown.started',
    data: { commandId: 'l-1', allowHolders: [2] },
  });
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toEqual({
    type: 'access.denied',
    data: { reason: 'lockdown', card: '…F444', holderId: 1, credentialId: 10 },
  });
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { holderId: 2 } });
});

it('a lockdown ends the open session of anyone it does not admit, and a remote release too is denied', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.send(lockdown([]))).toContainEqual({ kind: 'door', unlocked: false });
  s.send({ kind: 'remote_release', commandId: 'r-1', holderId: 1, slot: 1 });
  expect(s.events.at(-1)).toEqual({
    type: 'access.denied',
    data: { reason: 'lockdown', holderId: 1, commandId: 'r-1' },
  });
});

it('after lockdown_end badges are decided as before; a second end records nothing', () => {
  const s = new CabinetScenario();
  s.send(lockdown([]));
  s.send({ kind: 'lockdown_end', commandId: 'l-2' });
  expect(s.events.at(-1)).toEqual({ type: 'lockdown.ended', data: { commandId: 'l-2' } });
  expect(s.send({ kind: 'lockdown_end', commandId: 'l-3' })).toEqual([]);
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)?.type).toBe('access.granted');
});

it('a lockdown may admit a custodian group: its members get in, and their session stays', () => {
  const s = new CabinetScenario();
  s.directory.memberships.push([2, 7]); // Bob is a custodian (group 7)
  s.send({ kind: 'badge', card: BOB_CARD });
  const effects = s.send({ ...lockdown([]), allowGroups: [7, 7] });
  expect(s.events.at(-1)).toEqual({
    type: 'lockdown.started',
    data: { commandId: 'l-1', allowHolders: [], allowGroups: [7] },
  });
  expect(effects).not.toContainEqual({ kind: 'door', unlocked: false });
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.denied', data: { reason: 'lockdown' } });
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { holderId: 2 } });
});
