import { describe, expect, it } from 'vitest';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';
import { groupGrant } from './policy-fixtures.js';

describe('the cabinet flow decides with the policy', () => {
  it('a contractor is granted until the end instant and denied from it, with the reason', () => {
    const s = new CabinetScenario();
    const end = s.clock.wallMs() + 60_000;
    s.directory.holders[0] = { ...s.directory.holders[0]!, validUntilMs: end };
    s.send({ kind: 'badge', card: ALICE_CARD });
    expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [1, 2] } });
    s.advance(60_000);
    s.send({ kind: 'badge', card: ALICE_CARD });
    expect(s.events.at(-1)).toMatchObject({
      type: 'access.denied',
      data: { reason: 'holder_expired', holderId: 1 },
    });
  });

  it('releases group slots and never a lost key', () => {
    const s = new CabinetScenario();
    s.directory.memberships.push([2, 7]);
    s.directory.grants.push(groupGrant(7, [1, 2]));
    s.directory.keys[1] = { ...s.directory.keys[1]!, state: 'lost' };
    s.send({ kind: 'badge', card: BOB_CARD });
    expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [1, 3] } });
  });
});
