import { expect, it } from 'vitest';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

/** Alice's badge asks for her PIN (it is set); the shell reports the outcome as `pin`. */
function withPin(): CabinetScenario {
  const s = new CabinetScenario();
  Object.assign(s.directory.credentials[0]!, { pinRequired: true, hasPin: true });
  return s;
}
const pin = (outcome: 'ok' | 'duress' | 'wrong', credentialId = 10) =>
  ({ kind: 'pin', credentialId, outcome }) as const;

it('the badge alone releases nothing and records nothing; the right PIN grants', () => {
  const s = withPin();
  const atBadge = s.send({ kind: 'badge', card: ALICE_CARD });
  expect(atBadge).toEqual([{ kind: 'signal', signal: 'awaiting_entry' }]);
  expect(s.events).toEqual([]);
  s.send(pin('ok'));
  expect(s.events).toMatchObject([
    { type: 'access.granted', data: { holderId: 1, slots: [1, 2] } },
  ]);
  expect(s.lastEffects).toContainEqual({ kind: 'release', slot: 1, ms: 10_000 });
});

it('a wrong PIN is a denial that counts towards the lockout', () => {
  const s = withPin();
  for (let i = 0; i < 3; i++) {
    s.send({ kind: 'badge', card: ALICE_CARD });
    s.send(pin('wrong'));
  }
  expect(s.events.map((e) => (e.data as { reason?: string }).reason ?? e.type)).toEqual([
    'wrong_pin',
    'wrong_pin',
    'wrong_pin',
    'lockout.started',
  ]);
  // Locked out now: the badge is refused before any PIN is asked for.
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({ data: { reason: 'locked_out' } });
  expect(s.lastEffects.filter((e) => e.kind === 'release')).toEqual([]);
});

it('the duress PIN grants exactly as the right one, with a silent alarm.duress', () => {
  const ok = withPin();
  ok.send({ kind: 'badge', card: ALICE_CARD });
  const okEffects = ok.send(pin('ok'));
  const duress = withPin();
  duress.send({ kind: 'badge', card: ALICE_CARD });
  const duressEffects = duress.send(pin('duress'));
  expect(duress.events[0]).toEqual({
    type: 'alarm.duress',
    data: { holderId: 1, holderName: 'Alice', credentialId: 10 },
  });
  // Everything the cabinet does, and the grant the central server sees, is the same.
  const hardware = (effects: typeof okEffects) => effects.filter((e) => e.kind !== 'record');
  expect(hardware(duressEffects)).toEqual(hardware(okEffects));
  expect(duressEffects).not.toContainEqual({ kind: 'signal', signal: 'alarm' });
  expect(duress.events[1]).toEqual(ok.events[0]);
  expect(duress.state.alarms).toEqual([]);
});

it('no PIN within the entry time: entry_timeout at the instant, and a late PIN changes nothing', () => {
  const s = withPin();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.advance(20_000 - 1);
  expect(s.events).toEqual([]);
  s.advance(1);
  expect(s.events).toMatchObject([{ type: 'access.denied', data: { reason: 'entry_timeout' } }]);
  s.send(pin('ok'));
  expect(s.eventTypes()).toEqual(['access.denied']);
  expect(s.lastEffects).toEqual([]);
});

it('the clear key, or another badge, abandons the entry', () => {
  const s = withPin();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'entry_cancel' });
  expect(s.events.at(-1)).toMatchObject({ data: { reason: 'entry_cancelled', holderId: 1 } });
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.eventTypes()).toEqual(['access.denied', 'access.denied', 'access.granted']);
  // Alice's PIN arriving now is for an entry that no longer exists.
  s.send(pin('ok'));
  expect(s.eventTypes()).toHaveLength(3);
});

it('a PIN outcome for another credential is ignored', () => {
  const s = withPin();
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.send(pin('ok', 20))).toEqual([]);
  expect(s.state.pending?.stage).toBe('pin');
});

it('a PIN required but never set: pin_not_set, nothing released', () => {
  const s = new CabinetScenario();
  s.directory.credentials[0]!.pinRequired = true;
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events).toMatchObject([{ type: 'access.denied', data: { reason: 'pin_not_set' } }]);
});
