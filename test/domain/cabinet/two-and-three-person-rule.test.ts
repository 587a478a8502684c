import { expect, it } from 'vitest';
import type { TierRule } from '../../../src/domain/key-tiers.js';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';
import { NO_TIER_RULES } from '../../support/memory-directory.js';

const CAROL_CARD = '3000000003';
const DAVE_CARD = '4000000004';

/**
 * K-1 (slot 1) is a master key: `rule` says who must authorise it. Alice may take slots 1 and 2;
 * Carol may take slot 1 too (so she may authorise it); Bob may take slot 3 only; Dave belongs
 * to group 9 and may take nothing.
 */
function masterKey(rule: Partial<TierRule> = {}): CabinetScenario {
  const s = new CabinetScenario();
  const d = s.directory;
  d.keys[0]!.tier = 'master';
  d.tiers = { ...NO_TIER_RULES, master: { ...NO_TIER_RULES.master, authorisers: 1, ...rule } };
  d.holders.push({ id: 3, name: 'Carol', enabled: true }, { id: 4, name: 'Dave', enabled: true });
  d.credentials.push(
    { id: 30, holderId: 3, card: CAROL_CARD, enabled: true },
    { id: 40, holderId: 4, card: DAVE_CARD, enabled: true },
  );
  d.permissions.push({ holderId: 3, slot: 1 });
  d.memberships.push([4, 9]);
  return s;
}

/** An authoriser's deliberate badge: tapped, taken away and tapped again. */
function authorise(s: CabinetScenario, card: string) {
  s.send({ kind: 'badge', card });
  return s.send({ kind: 'badge', card });
}

it('the other keys are released at once; the master waits for a second person', () => {
  const s = masterKey();
  const effects = s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events).toMatchObject([
    { type: 'authorisation.requested', data: { holderId: 1, slots: [1], required: 1 } },
    { type: 'access.granted', data: { slots: [2], withheld: [1] } },
  ]);
  expect(effects).toContainEqual({ kind: 'release', slot: 2, ms: 10_000 });
  expect(effects).not.toContainEqual(expect.objectContaining({ kind: 'release', slot: 1 }));
});

it('the holder cannot authorise themselves; nor can someone who may not take the key', () => {
  const s = masterKey();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.events.slice(2)).toMatchObject([
    { type: 'authorisation.refused', data: { reason: 'self_authorisation', authoriserId: 1 } },
    { type: 'authorisation.refused', data: { reason: 'not_authorised', authoriserId: 2 } },
  ]);
  // Alice's session for slot 2 was not ended by those badges.
  expect(s.state.session?.holderId).toBe(1);
  expect(s.state.slots[0]?.release).toBeNull();
});

it('a second authorised holder releases the master; both are in the events', () => {
  const s = masterKey();
  s.send({ kind: 'badge', card: ALICE_CARD });
  const effects = authorise(s, CAROL_CARD);
  expect(s.events.slice(2)).toEqual([
    {
      type: 'authorisation.given',
      data: {
        holderId: 1,
        holderName: 'Alice',
        authoriser: { holderId: 3, holderName: 'Carol' },
        given: 1,
        required: 1,
      },
    },
    {
      type: 'access.granted',
      data: {
        holderId: 1,
        holderName: 'Alice',
        credentialId: 10,
        card: expect.any(String) as string,
        slots: [1],
        authorisers: [{ holderId: 3, holderName: 'Carol' }],
      },
    },
  ]);
  expect(effects).toContainEqual({ kind: 'release', slot: 1, ms: 10_000 });
  s.take(1);
  expect(s.events.at(-1)).toMatchObject({ type: 'key.checked_out', data: { holderId: 1 } });
});

it('the window: an authoriser a millisecond before its end counts; at its end the request lapses', () => {
  const before = masterKey();
  before.send({ kind: 'badge', card: ALICE_CARD });
  before.send({ kind: 'badge', card: CAROL_CARD });
  before.clock.advance(60_000 - 1);
  before.send({ kind: 'badge', card: CAROL_CARD });
  expect(before.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [1] } });

  const at = masterKey();
  at.send({ kind: 'badge', card: ALICE_CARD });
  at.advance(60_000);
  expect(at.events.at(-1)).toEqual({
    type: 'authorisation.expired',
    data: { holderId: 1, holderName: 'Alice', slots: [1], authorisers: [] },
  });
  // Carol's badge is now her own visit (which needs a second person of its own).
  at.send({ kind: 'badge', card: CAROL_CARD });
  expect(at.events.at(-1)).toMatchObject({
    type: 'authorisation.requested',
    data: { holderId: 3, slots: [1] },
  });
});

it('three-person rule: two different authorisers, in order', () => {
  const s = masterKey({ authorisers: 2 });
  s.directory.holders.push({ id: 5, name: 'Erin', enabled: true });
  s.directory.credentials.push({ id: 50, holderId: 5, card: '5000000005', enabled: true });
  s.directory.permissions.push({ holderId: 5, slot: 1 });
  s.send({ kind: 'badge', card: ALICE_CARD });
  authorise(s, CAROL_CARD);
  s.send({ kind: 'badge', card: CAROL_CARD });
  expect(s.events.slice(2).map((e) => e.type)).toEqual([
    'authorisation.given',
    'authorisation.refused',
  ]);
  expect(s.events.at(-1)).toMatchObject({ data: { reason: 'already_authorised' } });
  authorise(s, '5000000005');
  expect(s.events.at(-1)).toMatchObject({
    type: 'access.granted',
    data: { slots: [1], authorisers: [{ holderId: 3 }, { holderId: 5 }] },
  });
});

it('an authoriser group: only its members count, whether or not they may take the key', () => {
  const s = masterKey({ authoriserGroupId: 9 });
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'badge', card: CAROL_CARD });
  expect(s.events.at(-1)).toMatchObject({
    type: 'authorisation.refused',
    data: { reason: 'not_in_group', authoriserId: 3 },
  });
  authorise(s, DAVE_CARD);
  expect(s.events.at(-1)).toMatchObject({
    type: 'access.granted',
    data: { authorisers: [{ holderId: 4, holderName: 'Dave' }] },
  });
});

it("a passer-by's single tap during the window authorises nothing, nor do two cards alternating", () => {
  const s = masterKey({ authorisers: 2 });
  s.directory.holders.push({ id: 5, name: 'Erin', enabled: true });
  s.directory.credentials.push({ id: 50, holderId: 5, card: '5000000005', enabled: true });
  s.directory.permissions.push({ holderId: 5, slot: 1 });
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.events.length = 0;
  const effects = s.send({ kind: 'badge', card: CAROL_CARD });
  expect(s.events).toEqual([]);
  expect(effects).toEqual([{ kind: 'signal', signal: 'awaiting_entry' }]);
  for (const card of ['5000000005', CAROL_CARD, '5000000005']) s.send({ kind: 'badge', card });
  expect(s.events).toEqual([]);
  // A refused card in between breaks a confirmation too.
  s.send({ kind: 'badge', card: BOB_CARD });
  s.send({ kind: 'badge', card: '5000000005' });
  expect(s.eventTypes()).toEqual(['authorisation.refused']);
  s.advance(60_000);
  expect(s.eventTypes().at(-1)).toBe('authorisation.expired');
  expect(s.state.slots[0]?.release).toBeNull();
});

it('a card locked for wrong PINs in a row cannot authorise', () => {
  const s = masterKey();
  s.directory.credentials.find((c) => c.id === 30)!.wrongPins = 5;
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'badge', card: CAROL_CARD });
  expect(s.events.at(-1)).toMatchObject({
    type: 'authorisation.refused',
    data: { reason: 'not_authorised', authoriserId: 3 },
  });
});

it('a reason code, when the tier asks for one, comes before anything is released', () => {
  const s = masterKey({ authorisers: 0, reasonCode: true });
  s.directory.reasonCodes = ['42'];
  expect(s.send({ kind: 'badge', card: ALICE_CARD })).toEqual([
    { kind: 'signal', signal: 'awaiting_entry' },
  ]);
  s.send({ kind: 'reason_code', code: '42' });
  expect(s.events).toMatchObject([
    { type: 'access.granted', data: { slots: [1, 2], reasonCode: '42' } },
  ]);
  const refused = masterKey({ authorisers: 0, reasonCode: true });
  refused.directory.reasonCodes = ['42'];
  refused.send({ kind: 'badge', card: ALICE_CARD });
  refused.send({ kind: 'reason_code', code: '7' });
  expect(refused.events).toMatchObject([
    { type: 'access.denied', data: { reason: 'reason_code_refused' } },
  ]);
});
