import { describe, expect, it } from 'vitest';
import { decideAccess, decideRemoteRelease } from '../../../src/domain/access-decision.js';
import { FakeClock } from '../../support/fake-clock.js';
import { alice, aliceCard, at, holderGrant, request } from './policy-fixtures.js';

const START = at('2026-12-01T08:00:00Z');
const END = at('2026-12-05T18:00:00Z');
const window = { validFromMs: START, validUntilMs: END };
const slot1 = { grants: [holderGrant(1, [1])] };

/** Decides with the fake clock's wall time, as the flow does. */
function decideAt(clock: FakeClock, extra: Parameters<typeof request>[2]) {
  return decideAccess(request(clock.wallMs(), slot1, extra));
}

describe('validity windows', () => {
  it('a contractor is admitted from the start instant and refused from the end instant', () => {
    const clock = new FakeClock(START - 1);
    const contractor = { holder: { ...alice, ...window } };
    expect(decideAt(clock, contractor)).toMatchObject({
      reason: 'holder_not_yet_valid',
      holderId: 1,
    });
    clock.advance(1);
    expect(decideAt(clock, contractor)).toMatchObject({ granted: true, slots: [1] });
    clock.advance(END - START - 1);
    expect(decideAt(clock, contractor)).toMatchObject({ granted: true });
    clock.advance(1);
    expect(decideAt(clock, contractor)).toMatchObject({ granted: false, reason: 'holder_expired' });
  });

  it('a badge has its own window, judged after the holder is found valid', () => {
    const clock = new FakeClock(START - 1);
    const badge = { credential: { ...aliceCard, ...window } };
    expect(decideAt(clock, badge)).toMatchObject({ reason: 'credential_not_yet_valid' });
    clock.advance(1);
    expect(decideAt(clock, badge)).toMatchObject({ granted: true });
    clock.advance(END - START - 1);
    expect(decideAt(clock, badge)).toMatchObject({ granted: true });
    clock.advance(1);
    expect(decideAt(clock, badge)).toMatchObject({
      reason: 'credential_expired',
      credentialId: 10,
    });
  });

  it('a valid holder with an expired badge is refused for the badge', () => {
    const decision = decideAccess(
      request(END, slot1, {
        holder: { ...alice, validFromMs: START },
        credential: { ...aliceCard, validUntilMs: END },
      }),
    );
    expect(decision).toMatchObject({ reason: 'credential_expired' });
  });

  it('a disabled holder is refused as disabled even when out of window', () => {
    const holder = { ...alice, enabled: false, validUntilMs: START };
    expect(decideAccess(request(END, slot1, { holder }))).toMatchObject({
      reason: 'holder_disabled',
    });
  });

  it('a grant opens its slot only within its window', () => {
    const grants = [holderGrant(1, [2], window), holderGrant(1, [3])];
    expect(decideAccess(request(START - 1, { grants }))).toMatchObject({ slots: [3] });
    expect(decideAccess(request(START, { grants }))).toMatchObject({ slots: [2, 3] });
    expect(decideAccess(request(END - 1, { grants }))).toMatchObject({ slots: [2, 3] });
    expect(decideAccess(request(END, { grants }))).toMatchObject({ slots: [3] });
  });

  it('a direct permission has a window too', () => {
    const permissions = [{ holderId: 1, slot: 4, ...window }];
    expect(decideAccess(request(START - 1, {}, { permissions }))).toMatchObject({
      reason: 'permission_not_yet_valid',
    });
    expect(decideAccess(request(START, {}, { permissions }))).toMatchObject({ slots: [4] });
    expect(decideAccess(request(END - 1, {}, { permissions }))).toMatchObject({ slots: [4] });
    expect(decideAccess(request(END, {}, { permissions }))).toMatchObject({
      reason: 'permission_expired',
    });
  });

  it('a holder whose only permission has ended may still open the door to return a key', () => {
    const grants = [holderGrant(1, [2], window)];
    expect(decideAccess(request(END, { grants }, { keysOut: 1 }))).toMatchObject({
      granted: true,
      slots: [],
    });
  });

  it('an expired holder is refused a remote release at the end instant', () => {
    const base = {
      permissions: [],
      slot: 1,
      policy: { ...slot1, groupIds: [], unreleasableSlots: [], timeZone: 'UTC' },
    };
    const holder = { ...alice, ...window };
    expect(decideRemoteRelease({ ...base, holder, nowMs: END - 1 })).toMatchObject({
      granted: true,
    });
    expect(decideRemoteRelease({ ...base, holder, nowMs: END })).toMatchObject({
      reason: 'holder_expired',
    });
  });
});
