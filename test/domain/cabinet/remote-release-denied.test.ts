import { expect, it } from 'vitest';
import { CabinetScenario, kinds } from '../../support/cabinet-scenario.js';

const release = (holderId: number, slot: number) =>
  ({ kind: 'remote_release', commandId: 'cmd-2', holderId, slot }) as const;

it('a slot the holder may not take is denied, with the command id, and nothing is released', () => {
  const s = new CabinetScenario();
  const effects = s.send(release(1, 3)); // slot 3 is Bob's
  expect(kinds(effects)).toEqual(['record:access.denied', 'signal']);
  expect(s.events).toEqual([
    {
      type: 'access.denied',
      data: { reason: 'nothing_permitted', holderId: 1, commandId: 'cmd-2' },
    },
  ]);
  expect(s.state.session).toBeNull();
});

it('an unknown or disabled holder is denied with that reason', () => {
  const s = new CabinetScenario();
  s.send(release(99, 1));
  s.directory.holders[1] = { id: 2, name: 'Bob', enabled: false };
  s.send(release(2, 3));
  expect(s.events.map((e) => e.data)).toEqual([
    { reason: 'unknown_holder', holderId: 99, commandId: 'cmd-2' },
    { reason: 'holder_disabled', holderId: 2, commandId: 'cmd-2' },
  ]);
});
