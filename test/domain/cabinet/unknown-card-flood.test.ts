import { expect, it } from 'vitest';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

/** Bob has a PIN (not otherwise required); Alice's card is card-only. */
function cabinet(): CabinetScenario {
  const s = new CabinetScenario();
  Object.assign(s.directory.credentials[1]!, { hasPin: true });
  return s;
}
const pin = (outcome: 'ok' | 'wrong') => ({ kind: 'pin', credentialId: 20, outcome }) as const;
let blank = 0;
const blankCard = () => `00000${String(++blank).padStart(5, '0')}`;

/** Blank cards tapped one every `everyMs` for `count` cards. */
function flood(s: CabinetScenario, count: number, everyMs = 50): void {
  for (let i = 0; i < count; i++) {
    s.send({ kind: 'badge', card: blankCard() });
    s.advance(everyMs);
  }
}

it('a flood of unknown cards does not lock Bob out: his card with its PIN gets in', () => {
  const s = cabinet();
  flood(s, 3);
  expect(s.eventTypes().slice(-2)).toEqual(['lockout.started', 'reader.card_flood']);
  expect(s.events.at(-1)).toEqual({
    type: 'reader.card_flood',
    data: { reader: 'badge', unknownCards: 3, windowSeconds: 60 },
  });
  s.events.length = 0;
  expect(s.send({ kind: 'badge', card: BOB_CARD })).toEqual([
    { kind: 'signal', signal: 'awaiting_entry' },
  ]);
  s.send(pin('ok'));
  expect(s.events).toMatchObject([{ type: 'access.granted', data: { holderId: 2, slots: [3] } }]);
  expect(s.lastEffects).toContainEqual({ kind: 'release', slot: 3, ms: 10_000 });
});

it('during the flood a card-only credential is refused: a number found by guessing opens nothing', () => {
  const s = cabinet();
  flood(s, 3);
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toEqual({
    type: 'access.denied',
    data: { reason: 'locked_out', card: '…F444', holderId: 1, credentialId: 10 },
  });
  expect(s.lastEffects.filter((e) => e.kind === 'release')).toEqual([]);
});

it('a known card’s wrong PINs during the flood still lock that card', () => {
  const s = cabinet();
  flood(s, 3);
  for (let i = 0; i < 3; i++) {
    s.send({ kind: 'badge', card: BOB_CARD });
    s.send(pin('wrong'));
  }
  expect(s.events.at(-1)).toMatchObject({
    type: 'lockout.started',
    data: { subject: 'credential', credentialId: 20 },
  });
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.events.at(-1)).toMatchObject({ data: { reason: 'locked_out', credentialId: 20 } });
});

it('a brute-forcer is still slowed and alarmed: ten minutes at the reader’s full rate is one alarm and a few events per lockout', () => {
  const s = cabinet();
  const cards = 12_000; // 20 a second for 10 minutes
  flood(s, cards);
  const types = s.eventTypes();
  const started = s.events.flatMap((e) => (e.type === 'lockout.started' ? [e.data] : []));
  expect(types).not.toContain('access.granted');
  expect(types.filter((t) => t === 'reader.card_flood')).toHaveLength(1);
  // 10 s, 30 s, 60 s … doubling: the attacker's cards are looked at a few at a time.
  expect(started.map((l) => l.durationSeconds)).toEqual([10, 30, 60, 120, 240, 480]);
  const looked = types.filter((t) => t === 'access.denied');
  expect(looked).toHaveLength(3 + 2 * (started.length - 1));
  // The rest were counted, not recorded one by one.
  const counted = s.events.flatMap((e) =>
    e.type === 'lockout.ended' ? [e.data.refusedCards ?? 0] : [],
  );
  const refused = counted.reduce((a, b) => a + b, 0) + (s.state.cardFlood?.refused ?? 0);
  expect(refused + looked.length).toBe(cards);
  expect(s.events.length).toBeLessThanOrEqual(4 * started.length + 2);
  expect(s.state.alarms).toMatchObject([{ type: 'reader.card_flood', reader: 'badge' }]);
});

it('the flood alarm clears once the reader is unlocked and quiet for the window', () => {
  const s = cabinet();
  flood(s, 4);
  s.advance(10_000);
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.ended',
    data: { subject: 'reader', refusedCards: 1 },
  });
  expect(s.state.alarms).toMatchObject([{ type: 'reader.card_flood' }]);
  s.advance(50_000);
  expect(s.events.at(-1)).toMatchObject({
    type: 'alarm.cleared',
    data: { alarm: 'reader.card_flood', reader: 'badge' },
  });
  expect(s.state.alarms).toEqual([]);
  expect(s.state.cardFlood).toBeNull();
});
