import { expect, it } from 'vitest';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

/**
 * A locked-out card presented again and again (frames injected on the reader's wire) costs the
 * event log two events per lockout, not one per frame: the first refusal is recorded, the
 * others are counted in the lockout's end.
 */
function lockedAlice(): CabinetScenario {
  const s = new CabinetScenario();
  s.directory.holders[0] = { id: 1, name: 'Alice', enabled: false };
  for (let i = 0; i < 3; i++) s.send({ kind: 'badge', card: ALICE_CARD });
  s.events.length = 0;
  return s;
}

it('a thousand badges during a lockout: each card first recorded, its repeats counted in lockout.ended', () => {
  const s = lockedAlice();
  for (let i = 0; i < 1_000; i++) {
    s.send({ kind: 'badge', card: ALICE_CARD });
    expect(s.lastEffects).toContainEqual({ kind: 'signal', signal: 'denied' });
  }
  expect(s.eventTypes()).toEqual(['access.denied']);
  s.advance(10_000);
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.ended',
    data: { subject: 'credential', credentialId: 10, holderId: 1, refusedCards: 999 },
  });
});

it('a lockout cleared by a custodian reports its count too, and the next lockout starts at 0', () => {
  const s = lockedAlice();
  for (let i = 0; i < 5; i++) s.send({ kind: 'badge', card: ALICE_CARD });
  const custodian = { kind: 'custodian', account: 'dana' } as const;
  s.send({
    kind: 'clear_lockout',
    actor: custodian,
    subject: { kind: 'credential', credentialId: 10 },
  });
  expect(s.events.at(-1)).toMatchObject({ type: 'lockout.cleared', data: { refusedCards: 4 } });
  for (let i = 0; i < 2; i++) s.send({ kind: 'badge', card: ALICE_CARD });
  s.events.length = 0;
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.eventTypes()).toEqual(['access.denied']);
  s.advance(30_000);
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.ended',
    data: { subject: 'credential', credentialId: 10, holderId: 1 },
  });
});

it("while unknown cards lock the reader, a card-only card's first refusal is recorded, its repeats counted", () => {
  const s = new CabinetScenario();
  for (const card of ['0000000001', '0000000002', '0000000003']) s.send({ kind: 'badge', card });
  s.events.length = 0;
  for (let i = 0; i < 100; i++) s.send({ kind: 'badge', card: BOB_CARD });
  s.send({ kind: 'badge', card: '0000000004' });
  expect(s.events).toEqual([
    {
      type: 'access.denied',
      data: { reason: 'locked_out', card: '…CDEF', holderId: 2, credentialId: 20 },
    },
  ]);
  s.advance(10_000);
  // 99 repeats of Bob's card and one unknown card, none recorded.
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.ended',
    data: { subject: 'reader', refusedCards: 100 },
  });
});
