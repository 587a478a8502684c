import { describe, expect, it } from 'vitest';
import { decideAccess, decideRemoteRelease } from '../../../src/domain/access-decision.js';
import { policyInputsOf } from '../../../src/domain/policy/policy-inputs.js';
import { MemoryDirectory } from '../../support/memory-directory.js';
import { alice, groupGrant, holderGrant, request } from './policy-fixtures.js';

const NOW = Date.parse('2026-11-24T09:00:00Z');

describe('groups and key sets', () => {
  it('grants the slots of a group the holder belongs to', () => {
    const decision = decideAccess(request(NOW, { groupIds: [7], grants: [groupGrant(7, [4, 2])] }));
    expect(decision).toEqual({ granted: true, holderId: 1, credentialId: 10, slots: [2, 4] });
  });

  it('ignores grants of a group the holder is not in', () => {
    const decision = decideAccess(request(NOW, { groupIds: [8], grants: [groupGrant(7, [4])] }));
    expect(decision).toMatchObject({ granted: false, reason: 'nothing_permitted' });
  });

  it('ignores a holder grant naming someone else', () => {
    const decision = decideAccess(request(NOW, { grants: [holderGrant(2, [4])] }));
    expect(decision).toMatchObject({ granted: false, reason: 'nothing_permitted' });
  });

  it('unites direct permissions, holder grants on key sets and group grants, without duplicates', () => {
    const decision = decideAccess(
      request(
        NOW,
        { groupIds: [7, 9], grants: [holderGrant(1, [5, 6]), groupGrant(9, [6, 1])] },
        { permissions: [{ holderId: 1, slot: 3 }] },
      ),
    );
    expect(decision).toMatchObject({ granted: true, slots: [1, 3, 5, 6] });
  });

  it('looks the groups and grants up through the directory', () => {
    const directory = new MemoryDirectory();
    directory.holders.push(alice);
    directory.memberships.push([1, 7], [2, 8]);
    directory.grants.push(groupGrant(7, [2]), groupGrant(8, [3]), holderGrant(1, [4]));
    const policy = policyInputsOf(directory, 1, 'UTC');
    expect(policy.groupIds).toEqual([7]);
    expect(decideAccess(request(NOW, policy))).toMatchObject({ granted: true, slots: [2, 4] });
  });

  it('a remote release may open a slot granted through a group, and no other', () => {
    const policy = {
      groupIds: [7],
      grants: [groupGrant(7, [2])],
      unreleasableSlots: [],
      timeZone: 'UTC',
    };
    const base = { holder: alice, permissions: [], nowMs: NOW, policy };
    expect(decideRemoteRelease({ ...base, slot: 2 })).toEqual({
      granted: true,
      holderId: 1,
      slots: [2],
    });
    expect(decideRemoteRelease({ ...base, slot: 3 })).toMatchObject({
      reason: 'nothing_permitted',
    });
  });
});
