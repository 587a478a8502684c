import { expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/events.js';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const custodian: Actor = { kind: 'custodian', account: 'dana' };
const badge = { kind: 'badge', card: ALICE_CARD } as const;

it('a custodian clears a credential’s lockout: recorded with who did it; the next lockout is still longer', () => {
  const s = new CabinetScenario();
  s.directory.holders[0] = { id: 1, name: 'Alice', enabled: false };
  for (let i = 0; i < 3; i++) s.send(badge);
  s.send({
    kind: 'clear_lockout',
    actor: custodian,
    subject: { kind: 'credential', credentialId: 10 },
  });
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.cleared',
    data: { subject: 'credential', credentialId: 10, holderId: 1, actor: custodian },
  });
  s.send(badge);
  expect(s.events.at(-1)).toMatchObject({ data: { reason: 'holder_disabled' } });
  s.send(badge); // the cleared lockout was the first: the second comes after 2 more
  expect(s.events.at(-1)).toMatchObject({
    type: 'lockout.started',
    data: { level: 2, durationSeconds: 30 },
  });
});

it('clearing the reader lets cards be decided again; the cleared lockout never reports an end', () => {
  const s = new CabinetScenario();
  for (const card of ['0000000001', '0000000002', '0000000003']) s.send({ kind: 'badge', card });
  s.send({ kind: 'clear_lockout', actor: custodian, subject: { kind: 'reader' } });
  expect(s.events.at(-1)).toEqual({
    type: 'lockout.cleared',
    // The flood's count, none refused yet, is reported with the clear as with an end.
    data: { subject: 'reader', actor: custodian, refusedCards: 0 },
  });
  s.send(badge);
  expect(s.events.at(-1)?.type).toBe('access.granted');
  s.advance(20_000);
  expect(s.eventTypes()).not.toContain('lockout.ended');
});

it('clearing what is not locked records nothing', () => {
  const s = new CabinetScenario();
  expect(s.send({ kind: 'clear_lockout', actor: custodian, subject: { kind: 'reader' } })).toEqual(
    [],
  );
});
