import { expect, it } from 'vitest';
import { CabinetScenario } from '../../support/cabinet-scenario.js';
import { NO_TIER_RULES } from '../../support/memory-directory.js';

/**
 * The central server's `release` decides as Alice's badge would, less what only someone at the
 * cabinet can give: a key whose tier asks for a PIN, a reason code or authorisers is refused
 * (`presence_required`), and the loan rules refuse as at the reader.
 */
const release = (slot: number) =>
  ({ kind: 'remote_release', commandId: 'cmd-9', holderId: 1, slot }) as const;

function tieredKey1(rule: Partial<(typeof NO_TIER_RULES)['master']>): CabinetScenario {
  const s = new CabinetScenario();
  s.directory.keys[0]!.tier = 'master';
  s.directory.tiers = { ...NO_TIER_RULES, master: { ...NO_TIER_RULES.master, ...rule } };
  return s;
}

it.each([
  ['two authorisers', { authorisers: 2 as const }],
  ['a PIN', { pin: true }],
  ['a reason code', { reasonCode: true }],
])('a key whose tier asks for %s is refused, and nothing opens', (_what, rule) => {
  const s = tieredKey1(rule);
  const effects = s.send(release(1));
  expect(s.events).toEqual([
    {
      type: 'access.denied',
      data: { reason: 'presence_required', holderId: 1, commandId: 'cmd-9' },
    },
  ]);
  expect(effects.filter((e) => e.kind === 'release' || e.kind === 'door')).toEqual([]);
  expect(s.state.session).toBeNull();
});

it('a key of a tier that asks for nothing more is released as before', () => {
  const s = tieredKey1({});
  s.send(release(1));
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [1] } });
});

it('the loan rules refuse a release as they refuse a badge: keys out, and an overdue key', () => {
  const s = new CabinetScenario();
  s.directory.holders[0]!.maxKeysOut = 1;
  s.send(release(1));
  s.send({ kind: 'presence', slot: 1, present: false });
  s.advance(10_000);
  s.send(release(2));
  expect(s.events.at(-1)).toEqual({
    type: 'access.denied',
    data: { reason: 'loan_limit', holderId: 1, commandId: 'cmd-9' },
  });
  s.directory.holders[0]!.maxKeysOut = undefined;
  s.directory.loans[0]!.dueAtMs = s.clock.wallMs() - 1;
  s.send(release(2));
  expect(s.events.at(-1)).toMatchObject({ data: { reason: 'overdue_key' } });
});
