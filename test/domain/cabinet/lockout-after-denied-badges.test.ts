import { expect, it } from 'vitest';
import { restoreLocks } from '../../../src/domain/lockout.js';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

/** Alice's card is enrolled but her holder is disabled: every badge of hers is denied. */
function disabledAlice(): CabinetScenario {
  const s = new CabinetScenario();
  s.directory.holders[0] = { id: 1, name: 'Alice', enabled: false };
  return s;
}

const badge = { kind: 'badge', card: ALICE_CARD } as const;

it('the third denied badge within the window locks the credential out for 10 s', () => {
  const s = disabledAlice();
  s.send(badge);
  s.advance(1_000);
  s.send(badge);
  s.advance(1_000);
  s.send(badge);
  expect(s.eventTypes()).toEqual([
    'access.denied',
    'access.denied',
    'access.denied',
    'lockout.started',
  ]);
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.started',
    data: {
      subject: 'credential',
      credentialId: 10,
      holderId: 1,
      attempts: 3,
      level: 1,
      durationSeconds: 10,
    },
  });
});

it('during the lockout the badge is refused as locked_out and does not count; it ends at 10 s exactly', () => {
  const s = disabledAlice();
  for (let i = 0; i < 3; i++) s.send(badge);
  s.events.length = 0;
  s.advance(9_999);
  s.send(badge);
  expect(s.events).toEqual([
    {
      type: 'access.denied',
      data: { reason: 'locked_out', card: '…F444', holderId: 1, credentialId: 10 },
    },
  ]);
  expect(s.lastEffects).toContainEqual({ kind: 'signal', signal: 'denied' });
  s.advance(1);
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.ended',
    data: { subject: 'credential', credentialId: 10, holderId: 1 },
  });
  s.send(badge);
  expect(s.events.at(-1)).toMatchObject({
    type: 'access.denied',
    data: { reason: 'holder_disabled' },
  });
});

it('denials further apart than the window do not add up', () => {
  const s = disabledAlice();
  s.send(badge);
  s.send(badge);
  s.advance(60_000); // the default window: the first two are now out of it
  s.send(badge);
  s.send(badge);
  expect(s.eventTypes()).not.toContain('lockout.started');
  s.send(badge);
  expect(s.eventTypes().at(-1)).toBe('lockout.started');
});

it('a wall-clock step neither ends nor extends a lockout: only monotonic time counts', () => {
  const s = disabledAlice();
  for (let i = 0; i < 3; i++) s.send(badge);
  s.clock.stepWall(3_600_000);
  s.send({ kind: 'tick' });
  s.send(badge);
  expect(s.events.at(-1)).toMatchObject({ data: { reason: 'locked_out' } });
  s.advance(10_000);
  expect(s.eventTypes().at(-1)).toBe('lockout.ended');
});

it('a lockdown denial does not count: a genuine holder is refused by the cabinet, not by their card', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'lockdown_start', commandId: 'l-1', allowHolders: [] });
  for (let i = 0; i < 5; i++) s.send(badge);
  expect(s.eventTypes()).not.toContain('lockout.started');
});

it('a lockout remembered across a restart refuses for what was left of it, at its level', () => {
  const s = new CabinetScenario();
  s.directory.holders[0] = { id: 1, name: 'Alice', enabled: false };
  const subject = { kind: 'credential', credentialId: 10, holderId: 1 } as const;
  s.state = {
    ...s.state,
    lockouts: restoreLocks([{ subject, level: 1, remainingMs: 4_000 }], s.clock.monotonicMs()),
  };
  s.send(badge);
  expect(s.events.at(-1)).toMatchObject({ data: { reason: 'locked_out' } });
  s.advance(4_000);
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.ended',
    data: { subject: 'credential', credentialId: 10, holderId: 1 },
  });
  // The next lockout is the second level's: 2 more denials, 30 s.
  for (let i = 0; i < 2; i++) s.send(badge);
  expect(s.events.at(-1)).toMatchObject({
    type: 'lockout.started',
    data: { level: 2, durationSeconds: 30 },
  });
});
