import { expect, it } from 'vitest';
import { DEFAULT_LOCKOUT } from '../../../src/domain/lockout.js';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

/**
 * Wrong PINs in a row have a hard cap (lockout.maxWrongPins, 5 by default) that neither time
 * nor a restart forgets: the guesser who typed one PIN every two minutes, never meeting the
 * window's lockout, is stopped at the fifth. The count itself is the store's (migration 010);
 * the scenario projects it as the store does.
 */
function withPin(): CabinetScenario {
  const s = new CabinetScenario();
  Object.assign(s.directory.credentials[0]!, { pinRequired: true, hasPin: true });
  return s;
}
const badge = { kind: 'badge', card: ALICE_CARD } as const;
const pin = (outcome: 'ok' | 'wrong') => ({ kind: 'pin', credentialId: 10, outcome }) as const;

function pacedGuesses(s: CabinetScenario, n: number): void {
  for (let i = 0; i < n; i++) {
    s.send(badge);
    s.send(pin('wrong'));
    s.advance(2 * 60_000); // outside the 60 s window: the window's lockout never starts
  }
}

it('paced wrong PINs lock the card at the cap; then even the right PIN is never asked for', () => {
  const s = withPin();
  pacedGuesses(s, 4);
  expect(s.eventTypes()).not.toContain('lockout.started');
  expect(s.eventTypes()).not.toContain('pin.locked');
  pacedGuesses(s, 1);
  expect(s.events.at(-1)).toEqual({
    type: 'pin.locked',
    data: { credentialId: 10, holderId: 1, wrongPins: DEFAULT_LOCKOUT.maxWrongPins },
  });
  // A day later the card is still refused before any PIN is asked for.
  s.advance(24 * 3_600_000);
  const effects = s.send(badge);
  expect(s.events.at(-1)).toMatchObject({
    type: 'access.denied',
    data: { reason: 'pin_locked', credentialId: 10 },
  });
  expect(effects).not.toContainEqual({ kind: 'signal', signal: 'awaiting_entry' });
  expect(s.state.pending).toBeNull();
});

it('the right PIN starts the count again, recorded as pin.reset without an actor', () => {
  const s = withPin();
  pacedGuesses(s, 4);
  s.send(badge);
  s.send(pin('ok'));
  expect(s.events).toContainEqual({
    type: 'pin.reset',
    data: { credentialId: 10, holderId: 1, wrongPins: 4 },
  });
  expect(s.events.at(-1)?.type).toBe('access.granted');
  s.send({ kind: 'door', open: true });
  s.send({ kind: 'door', open: false });
  pacedGuesses(s, 4);
  expect(s.eventTypes()).not.toContain('pin.locked');
});

it('a custodian reset (pin.reset with the actor, projected to 0) lets the card in again', () => {
  const s = withPin();
  pacedGuesses(s, 5);
  s.directory.credentials[0]!.wrongPins = 0; // what the store's projection of pin.reset does
  s.send(badge);
  expect(s.lastEffects).toContainEqual({ kind: 'signal', signal: 'awaiting_entry' });
});

it('a locked card presented at wire rate is refused in counted lockouts, not event by event', () => {
  const s = withPin();
  pacedGuesses(s, 5);
  s.events.length = 0;
  for (let i = 0; i < 500; i++) s.send(badge);
  expect(s.eventTypes()).toEqual([
    'access.denied',
    'access.denied',
    'access.denied',
    'lockout.started',
    'access.denied',
  ]);
  expect(s.events.map((e) => (e.data as { reason?: string }).reason).slice(0, 3)).toEqual([
    'pin_locked',
    'pin_locked',
    'pin_locked',
  ]);
});
