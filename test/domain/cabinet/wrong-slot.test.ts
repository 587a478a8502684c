import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

function keyOutWithAlice(): CabinetScenario {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  s.advance(10_000);
  s.send({ kind: 'badge', card: ALICE_CARD });
  return s;
}

it('a fob in a slot that is not its home is key.wrong_slot and that slot is released', () => {
  const s = keyOutWithAlice();
  s.insert(4, 'AA00000001');
  expect(s.events.at(-1)).toEqual({
    type: 'key.wrong_slot',
    data: { keyId: 100, keyLabel: 'K-1', slot: 4, homeSlot: 1 },
  });
  expect(s.lastEffects).toContainEqual({ kind: 'release', slot: 4, ms: 5_000 });
  expect(s.directory.loans).toHaveLength(1); // not returned until it is home
});

it('the wrong slot stays released, pulse after pulse, after the session ends, until the fob is moved', () => {
  const s = keyOutWithAlice();
  s.insert(4, 'AA00000001');
  const atSessionEnd = s.advance(10_000);
  expect(atSessionEnd).not.toContainEqual({ kind: 'lock', slot: 4 });
  expect(atSessionEnd).toContainEqual({ kind: 'release', slot: 4, ms: 5_000 });
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(4);
  expect(s.lastEffects).toEqual([]);
  // Moving it is not a check-out; it clears the alarm.
  expect(s.events.at(-1)).toMatchObject({
    type: 'alarm.cleared',
    data: { alarm: 'key.wrong_slot', slot: 4 },
  });
  s.insert(1, 'AA00000001');
  expect(s.events.at(-1)?.type).toBe('key.checked_in');
  expect(s.advance(20_000)).not.toContainEqual(
    expect.objectContaining({ kind: 'release', slot: 4 }),
  );
});
