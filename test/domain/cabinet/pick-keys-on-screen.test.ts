import { expect, it } from 'vitest';
import { ALICE_CARD } from '../../support/cabinet-scenario.js';
import { NO_TIER_RULES } from '../../support/memory-directory.js';

const CAROL_CARD = '3000000003';
import { ScreenScenario } from '../../support/screen-scenario.js';

/** Pick-the-keys mode: Alice may take slots 1 and 2; Bob slot 3. */
function picking(): ScreenScenario {
  const s = new ScreenScenario();
  s.settings.pickKeysOnScreen = true;
  return s;
}
const releases = (s: ScreenScenario) =>
  s.lastEffects.flatMap((e) => (e.kind === 'release' ? [e.slot] : []));

it('the badge opens the door and offers the keys; nothing is released until picked', () => {
  const s = picking();
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.lastEffects).toContainEqual({ kind: 'door', unlocked: true });
  expect(releases(s)).toEqual([]);
  expect(s.events).toMatchObject([{ type: 'access.granted', data: { slots: [1, 2] } }]);
  expect(s.view().slots).toEqual([
    { slot: 1, kind: 'offered', keyLabel: 'K-1' },
    { slot: 2, kind: 'offered', keyLabel: 'K-2' },
  ]);
  s.send({ kind: 'screen_pick', slots: [2] });
  expect(releases(s)).toEqual([2]);
  expect(s.view().slots).toEqual([
    { slot: 1, kind: 'offered', keyLabel: 'K-1' },
    { slot: 2, kind: 'take', keyLabel: 'K-2' },
  ]);
  s.take(2);
  expect(s.eventTypes()).toEqual(['access.granted', 'key.checked_out']);
  // An unpicked key pulled is forced, not a check-out: its solenoid never released.
  s.take(1);
  expect(s.eventTypes().at(-1)).toBe('key.forced');
});

it('a pick of another slot, or of a slot already released, is refused whole and recorded', () => {
  const s = picking();
  s.send({ kind: 'badge', card: ALICE_CARD });
  for (const slots of [[3], [1, 3], [1, 1], [0], [99], [1.5], []]) {
    s.send({ kind: 'screen_pick', slots });
    expect(releases(s)).toEqual([]);
    expect(s.events.at(-1)).toMatchObject({
      type: 'access.denied',
      data: { reason: 'pick_refused', holderId: 1, credentialId: 10 },
    });
  }
  s.send({ kind: 'screen_pick', slots: [1] });
  expect(releases(s)).toEqual([1]);
  s.send({ kind: 'screen_pick', slots: [1] });
  expect(releases(s)).toEqual([]);
  expect(s.view().refusals.at(-1)).toBe(
    'Slot 1 is not yours to take now: nothing of that pick opened.',
  );
  // The holder is not locked out by their own mis-taps: the session is still theirs.
  expect(s.state.session?.holderId).toBe(1);
});

it('with nobody in, a pick does nothing and records nothing', () => {
  const s = picking();
  s.send({ kind: 'screen_pick', slots: [1] });
  expect(s.lastEffects).toEqual([]);
  // Outside the mode, a pick is ignored even during a session (every permitted slot is out).
  const t = new ScreenScenario();
  t.send({ kind: 'badge', card: ALICE_CARD });
  t.send({ kind: 'screen_pick', slots: [3] });
  expect(t.lastEffects).toEqual([]);
});

it('the loan limit still holds: at the limit the other offers are withdrawn', () => {
  const s = picking();
  s.directory.holders[0]!.maxKeysOut = 1;
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'screen_pick', slots: [1] });
  s.take(1);
  s.send({ kind: 'screen_pick', slots: [2] });
  expect(releases(s)).toEqual([]);
  expect(s.events.at(-1)).toMatchObject({ data: { reason: 'pick_refused' } });
});

it('a pick starts the session time again; the relock still ends everything', () => {
  const s = picking();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.advance(8_000);
  s.send({ kind: 'screen_pick', slots: [1] });
  expect(s.view().relockSeconds).toBe(10);
  s.advance(10_000);
  expect(s.state.session).toBeNull();
  expect(s.state.slots[0]?.release).toBeNull();
});

it('a key released by a second person is offered for the pick too, not released', () => {
  const s = picking();
  s.directory.keys[0]!.tier = 'master';
  s.directory.tiers = {
    ...NO_TIER_RULES,
    master: { ...NO_TIER_RULES.master, authorisers: 1 },
  };
  s.directory.holders.push({ id: 3, name: 'Carol', enabled: true });
  s.directory.credentials.push({ id: 30, holderId: 3, card: CAROL_CARD, enabled: true });
  s.directory.permissions.push({ holderId: 3, slot: 1 });
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.view().slots).toEqual([
    { slot: 1, kind: 'waiting', keyLabel: 'K-1' },
    { slot: 2, kind: 'offered', keyLabel: 'K-2' },
  ]);
  s.send({ kind: 'badge', card: CAROL_CARD });
  s.send({ kind: 'badge', card: CAROL_CARD });
  expect(releases(s)).toEqual([]);
  expect(s.state.session?.offered).toEqual([2, 1]);
  s.send({ kind: 'screen_pick', slots: [1] });
  expect(releases(s)).toEqual([1]);
});

it('the central server’s release names its one slot already: released at once, not offered', () => {
  const s = picking();
  s.send({ kind: 'remote_release', commandId: 'c-1', holderId: 1, slot: 2 });
  expect(releases(s)).toEqual([2]);
  expect(s.state.session?.offered).toBeUndefined();
});
