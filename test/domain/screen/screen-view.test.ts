import { expect, it } from 'vitest';
import { NO_TIER_RULES } from '../../support/memory-directory.js';
import { ALICE_CARD, BOB_CARD } from '../../support/cabinet-scenario.js';
import { ScreenScenario } from '../../support/screen-scenario.js';

const UNKNOWN_CARD = '99999999AA';

it('idle: the prompt only, nothing of anyone', () => {
  const s = new ScreenScenario();
  // Alice has a key out: idle, the screen must not say so.
  s.directory.loans.push({ keyId: 300, holderId: 2, slot: 3, outAtMs: s.clock.wallMs() });
  expect(s.view()).toMatchObject({
    stage: 'idle',
    slotCount: 4,
    holderName: null,
    slots: [],
    keysOut: [],
    refusals: [],
    prompt: null,
    returns: [],
    alarms: [],
  });
});

it('after a badge: the name, the slots to take lit with their keys, the relock countdown', () => {
  const s = new ScreenScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.view()).toMatchObject({
    stage: 'session',
    holderName: 'Alice',
    slots: [
      { slot: 1, kind: 'take', keyLabel: 'K-1' },
      { slot: 2, kind: 'take', keyLabel: 'K-2' },
    ],
    relockSeconds: 10,
  });
  s.advance(3_500);
  expect(s.view().relockSeconds).toBe(7);
  // Taken: the slot is no longer to take; the key is out, with where it goes back.
  s.take(1);
  const view = s.view();
  expect(view.slots).toEqual([
    { slot: 1, kind: 'return', keyLabel: 'K-1' },
    { slot: 2, kind: 'take', keyLabel: 'K-2' },
  ]);
  expect(view.keysOut).toEqual([{ keyLabel: 'K-1', slot: 1, dueAt: null, overdue: false }]);
  expect(view.returns).toEqual([{ text: 'Put K-1 back in slot 1.', slot: 1 }]);
});

it('when the session ends the screen forgets the holder entirely', () => {
  const s = new ScreenScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  s.advance(10_000);
  const shown = JSON.stringify(s.view());
  expect(s.view().stage).toBe('idle');
  expect(shown).not.toContain('Alice');
  expect(shown).not.toContain('K-1');
});

it('a refusal in plain words, without the name the card belongs to, for a few seconds', () => {
  const s = new ScreenScenario();
  s.directory.holders[1]!.enabled = false;
  s.send({ kind: 'badge', card: BOB_CARD });
  const view = s.view();
  expect(view).toMatchObject({
    stage: 'refused',
    holderName: null,
    refusals: ['Your access is disabled. Ask a custodian.'],
  });
  expect(JSON.stringify(view)).not.toContain('Bob');
  s.advance(8_000);
  expect(s.view()).toMatchObject({ stage: 'idle', refusals: [] });
  s.send({ kind: 'badge', card: UNKNOWN_CARD });
  expect(s.view().refusals).toEqual(['This card is not known here. Ask a custodian to enrol it.']);
});

it('an overdue key: the door opens to return it, and the screen says which to bring back', () => {
  const s = new ScreenScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(2);
  s.advance(10_000);
  const loan = s.directory.loans[0]!;
  loan.dueAtMs = s.clock.wallMs() - 60_000;
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.view()).toMatchObject({
    stage: 'session',
    holderName: 'Alice',
    refusals: ['Return the overdue key K-2 first.'],
    keysOut: [{ keyLabel: 'K-2', slot: 2, overdue: true }],
    slots: [{ slot: 2, kind: 'return', keyLabel: 'K-2' }],
    returns: [{ text: 'Put K-2 back in slot 2.', slot: 2 }],
  });
});

it('a locked-out card is told for how long', () => {
  const s = new ScreenScenario();
  s.directory.holders[1]!.enabled = false;
  for (let i = 0; i < 3; i++) s.send({ kind: 'badge', card: BOB_CARD });
  s.advance(2_000);
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.view().refusals).toEqual(['Your card is locked out for 8 s after too many refusals.']);
});

it('the PIN prompt and then the reason-code prompt, each with its time left', () => {
  const s = new ScreenScenario();
  Object.assign(s.directory.credentials[0]!, { hasPin: true });
  s.directory.keys[0]!.tier = 'master';
  s.directory.tiers = {
    ...NO_TIER_RULES,
    master: { ...NO_TIER_RULES.master, pin: true, reasonCode: true },
  };
  s.codes = [{ code: '12', description: 'Maintenance' }];
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.advance(5_000);
  expect(s.view()).toMatchObject({
    stage: 'pin',
    holderName: 'Alice',
    prompt: { kind: 'pin', secondsLeft: 15 },
    slots: [
      { slot: 1, kind: 'waiting', keyLabel: 'K-1' },
      { slot: 2, kind: 'waiting', keyLabel: 'K-2' },
    ],
  });
  s.send({ kind: 'pin', credentialId: 10, outcome: 'ok' });
  expect(s.view()).toMatchObject({
    stage: 'reason_code',
    prompt: {
      kind: 'reason_code',
      secondsLeft: 20,
      codes: [{ code: '12', description: 'Maintenance' }],
    },
  });
  s.send({ kind: 'entry_cancel' });
  expect(s.view()).toMatchObject({
    stage: 'refused',
    refusals: ['Cancelled: nothing was opened.'],
  });
});

it('two people: waiting for a second authoriser with the time left, and who may not be one', () => {
  const s = new ScreenScenario();
  s.directory.keys[0]!.tier = 'master';
  s.directory.tiers = { ...NO_TIER_RULES, master: { ...NO_TIER_RULES.master, authorisers: 1 } };
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.advance(1_000);
  s.send({ kind: 'badge', card: BOB_CARD });
  const view = s.view();
  expect(view).toMatchObject({
    stage: 'authorisers',
    holderName: 'Alice',
    prompt: { kind: 'authorisers', secondsLeft: 59, required: 1, given: 0, keys: ['K-1'] },
    slots: [
      { slot: 1, kind: 'waiting', keyLabel: 'K-1' },
      { slot: 2, kind: 'take', keyLabel: 'K-2' },
    ],
    refusals: ['That card may not authorise these keys.'],
  });
  // The would-be authoriser's own name is not on Alice's screen.
  expect(JSON.stringify(view)).not.toContain('Bob');
});

it('cabinet-wide alarms show when idle; an overdue key (someone else’s) does not', () => {
  const s = new ScreenScenario();
  s.send({ kind: 'door', open: true });
  s.advance(1_000);
  s.send({ kind: 'presence', slot: 3, present: false });
  s.state = {
    ...s.state,
    alarms: [...s.state.alarms, { type: 'key.overdue', slot: 3, since: '2026-11-24T09:00:00Z' }],
  };
  expect(s.view().alarms).toEqual([
    { type: 'door.forced', text: 'The door was forced open.' },
    { type: 'key.forced', text: 'A key was forced out (slot 3).' },
  ]);
});

it('the held-open countdown while the door is open', () => {
  const s = new ScreenScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.advance(4_000);
  expect(s.view().heldOpenSeconds).toBe(16);
  s.send({ kind: 'door', open: false });
  expect(s.view().heldOpenSeconds).toBeNull();
});

it('a refusal is not carried into the same holder’s next badge', () => {
  const s = new ScreenScenario();
  Object.assign(s.directory.credentials[0]!, { hasPin: true, pinRequired: true });
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'entry_cancel' });
  expect(s.view().refusals).toEqual(['Cancelled: nothing was opened.']);
  s.advance(1_000);
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.view()).toMatchObject({ stage: 'pin', refusals: [] });
});
