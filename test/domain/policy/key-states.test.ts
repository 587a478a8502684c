import { describe, expect, it } from 'vitest';
import { decideAccess, decideRemoteRelease } from '../../../src/domain/access-decision.js';
import { policyInputsOf } from '../../../src/domain/policy/policy-inputs.js';
import { MemoryDirectory } from '../../support/memory-directory.js';
import { alice, groupGrant, request } from './policy-fixtures.js';

const NOW = Date.parse('2026-11-24T09:00:00Z');

describe('key states', () => {
  it('never releases the slot of a lost, stolen or retired key', () => {
    const directory = new MemoryDirectory();
    directory.keys.push(
      { id: 1, tag: 'A1', label: 'K-1', homeSlot: 1, state: 'active' },
      { id: 2, tag: 'A2', label: 'K-2', homeSlot: 2, state: 'lost' },
      { id: 3, tag: 'A3', label: 'K-3', homeSlot: 3, state: 'stolen' },
      { id: 4, tag: 'A4', label: 'K-4', homeSlot: 4, state: 'retired' },
      { id: 5, tag: 'A5', label: 'K-5', homeSlot: 5 },
    );
    directory.memberships.push([1, 7]);
    directory.grants.push(groupGrant(7, [1, 2, 3, 4, 5]));
    const decision = decideAccess(request(NOW, policyInputsOf(directory, 1, 'UTC')));
    expect(decision).toMatchObject({ granted: true, slots: [1, 5] });
  });

  it('denies with key_unavailable when every permitted key is unavailable', () => {
    const decision = decideAccess(
      request(NOW, { unreleasableSlots: [2] }, { permissions: [{ holderId: 1, slot: 2 }] }),
    );
    expect(decision).toMatchObject({ granted: false, reason: 'key_unavailable' });
  });

  it('a remote release of a lost key is refused', () => {
    const decision = decideRemoteRelease({
      holder: alice,
      permissions: [{ holderId: 1, slot: 2 }],
      slot: 2,
      nowMs: NOW,
      policy: { groupIds: [], grants: [], unreleasableSlots: [2], timeZone: 'UTC' },
    });
    expect(decision).toMatchObject({ granted: false, reason: 'key_unavailable' });
  });
});
