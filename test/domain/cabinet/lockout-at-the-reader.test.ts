import { expect, it } from 'vitest';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

it('three unknown cards lock the reader: unknown cards and card-only credentials are refused until it ends', () => {
  const s = new CabinetScenario();
  for (const card of ['0000000001', '0000000002', '0000000003']) s.send({ kind: 'badge', card });
  expect(s.events.at(-2)).toEqual({
    type: 'lockout.started',
    data: { subject: 'reader', attempts: 3, level: 1, durationSeconds: 10 },
  });
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toEqual({
    type: 'access.denied',
    data: { reason: 'locked_out', card: '…F444', holderId: 1, credentialId: 10 },
  });
  // An unknown card during the flood is refused and counted, not recorded one by one.
  const recorded = s.events.length;
  expect(s.send({ kind: 'badge', card: '0000000004' })).toEqual([
    { kind: 'signal', signal: 'denied' },
  ]);
  expect(s.events).toHaveLength(recorded);
  s.advance(10_000);
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.ended',
    data: { subject: 'reader', refusedCards: 1 },
  });
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)?.type).toBe('access.granted');
});

it('an enrolled card’s denials count against that card, not the reader', () => {
  const s = new CabinetScenario();
  s.directory.holders[1] = { id: 2, name: 'Bob', enabled: false };
  for (let i = 0; i < 3; i++) s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.events.at(-1)).toMatchObject({
    type: 'lockout.started',
    data: { subject: 'credential', credentialId: 20 },
  });
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)?.type).toBe('access.granted');
});
