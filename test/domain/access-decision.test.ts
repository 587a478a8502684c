import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideAccess, type AccessRequest } from '../../src/domain/access-decision.js';

const alice = { id: 1, name: 'Alice', enabled: true };
const card = { id: 10, holderId: 1, card: 'C1', enabled: true };
const base: AccessRequest = {
  credential: card,
  holder: alice,
  permissions: [
    { holderId: 1, slot: 3 },
    { holderId: 1, slot: 1 },
  ],
  keysOut: 0,
  nowMs: 0,
};

describe('decideAccess', () => {
  it('grants the permitted slots, sorted and without duplicates', () => {
    const decision = decideAccess({
      ...base,
      permissions: [...base.permissions, { holderId: 1, slot: 3 }],
    });
    expect(decision).toEqual({ granted: true, holderId: 1, credentialId: 10, slots: [1, 3] });
  });

  it('denies an unknown card', () => {
    expect(decideAccess({ ...base, credential: undefined, holder: undefined })).toEqual({
      granted: false,
      reason: 'unknown_card',
    });
  });

  it('denies a credential whose holder record does not match', () => {
    expect(decideAccess({ ...base, holder: { ...alice, id: 2 } })).toMatchObject({
      reason: 'unknown_card',
    });
  });

  it('denies a disabled holder before looking at permissions', () => {
    expect(decideAccess({ ...base, holder: { ...alice, enabled: false } })).toEqual({
      granted: false,
      reason: 'holder_disabled',
      holderId: 1,
      credentialId: 10,
    });
  });

  it('denies a disabled credential', () => {
    expect(decideAccess({ ...base, credential: { ...card, enabled: false } })).toMatchObject({
      granted: false,
      reason: 'credential_disabled',
    });
  });

  it('denies a holder with nothing permitted and nothing to return', () => {
    expect(decideAccess({ ...base, permissions: [] })).toMatchObject({
      granted: false,
      reason: 'nothing_permitted',
    });
  });

  it('opens the door, releasing nothing, for a holder who only has a key to return', () => {
    expect(decideAccess({ ...base, permissions: [], keysOut: 1 })).toEqual({
      granted: true,
      holderId: 1,
      credentialId: 10,
      slots: [],
    });
  });

  it('ignores permissions that belong to someone else', () => {
    expect(decideAccess({ ...base, permissions: [{ holderId: 2, slot: 5 }] })).toMatchObject({
      reason: 'nothing_permitted',
    });
  });

  it('never grants a slot that no permission of the holder covers (property)', () => {
    const permission = fc.record({
      holderId: fc.integer({ min: 1, max: 3 }),
      slot: fc.integer({ min: 1, max: 12 }),
    });
    fc.assert(
      fc.property(
        fc.array(permission, { maxLength: 20 }),
        fc.boolean(),
        fc.boolean(),
        (permissions, enabled, cardOn) => {
          const decision = decideAccess({
            ...base,
            holder: { ...alice, enabled },
            credential: { ...card, enabled: cardOn },
            permissions,
          });
          if (!decision.granted) return true;
          const allowed = new Set(permissions.filter((p) => p.holderId === 1).map((p) => p.slot));
          return enabled && cardOn && decision.slots.every((s) => allowed.has(s));
        },
      ),
    );
  });
});
