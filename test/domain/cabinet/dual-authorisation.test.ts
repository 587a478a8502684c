import { expect, it } from 'vitest';
import {
  offerAuthoriser as offerOnce,
  startAuthorisation,
  type Authoriser,
  type AuthoriserOutcome,
  type PendingAuthorisation,
} from '../../../src/domain/dual-authorisation.js';

const WINDOW = 30_000;
const T0 = 1_000;
const request = (required: 1 | 2, groupIds: number[] = []) =>
  startAuthorisation({ holderId: 1, credentialId: 10, slots: [3], required, groupIds }, T0, WINDOW);
const holder = (holderId: number, groupIds: number[] = [], admitted = true): Authoriser => ({
  holderId,
  credentialId: holderId * 10,
  groupIds,
  admitted,
});

/** An authoriser's two taps in a row, the second of which counts (the first must ask for it). */
function offerAuthoriser(
  pending: PendingAuthorisation,
  authoriser: Authoriser,
  nowMs: number,
): AuthoriserOutcome {
  const first = offerOnce(pending, authoriser, nowMs);
  if (first.kind !== 'confirm') return first;
  return offerOnce(first.pending, authoriser, nowMs);
}

it('a single tap of an eligible authoriser does not count: it asks for the same card again', () => {
  const first = offerOnce(request(1), holder(2), T0 + 1);
  expect(first).toMatchObject({ kind: 'confirm', pending: { authorisers: [], confirming: 20 } });
  if (first.kind !== 'confirm') return;
  // Another card between the two taps starts the confirmation over.
  const other = offerOnce(first.pending, holder(3), T0 + 2);
  expect(other).toMatchObject({ kind: 'confirm', pending: { authorisers: [], confirming: 30 } });
  expect(offerOnce(first.pending, holder(2), T0 + 3)).toMatchObject({
    kind: 'complete',
    pending: { authorisers: [2], confirming: null },
  });
});

it('two-person rule: a second authorised holder within the window completes it, both recorded', () => {
  const outcome = offerAuthoriser(request(1), holder(2), T0 + 5_000);
  expect(outcome).toMatchObject({ kind: 'complete', pending: { holderId: 1, authorisers: [2] } });
});

it('three-person rule: the first authoriser leaves it waiting, the second completes it', () => {
  const first = offerAuthoriser(request(2), holder(2), T0 + 1_000);
  expect(first.kind).toBe('waiting');
  if (first.kind !== 'waiting') return;
  const second = offerAuthoriser(first.pending, holder(3), T0 + 2_000);
  expect(second).toMatchObject({ kind: 'complete', pending: { authorisers: [2, 3] } });
});

it('the holder cannot authorise themselves, nor one authoriser count twice', () => {
  expect(offerAuthoriser(request(1), holder(1), T0 + 1)).toEqual({
    kind: 'refused',
    reason: 'self_authorisation',
  });
  const first = offerAuthoriser(request(2), holder(2), T0 + 1);
  if (first.kind !== 'waiting') throw new Error('expected waiting');
  expect(offerAuthoriser(first.pending, holder(2), T0 + 2)).toEqual({
    kind: 'refused',
    reason: 'already_authorised',
  });
});

it('the window: a badge a millisecond before it closes counts; at its end it does not', () => {
  expect(offerAuthoriser(request(1), holder(2), T0 + WINDOW - 1).kind).toBe('complete');
  expect(offerAuthoriser(request(1), holder(2), T0 + WINDOW)).toEqual({
    kind: 'refused',
    reason: 'authorisation_expired',
  });
});

it('an authoriser must be admitted by the policy and, where named, belong to the group', () => {
  expect(offerAuthoriser(request(1), holder(2, [], false), T0 + 1)).toEqual({
    kind: 'refused',
    reason: 'not_authorised',
  });
  expect(offerAuthoriser(request(1, [7]), holder(2, [3]), T0 + 1)).toEqual({
    kind: 'refused',
    reason: 'not_in_group',
  });
  expect(offerAuthoriser(request(1, [7]), holder(2, [3, 7]), T0 + 1).kind).toBe('complete');
});
