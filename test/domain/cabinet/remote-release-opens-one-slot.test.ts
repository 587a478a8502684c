import { expect, it } from 'vitest';
import { CabinetScenario, kinds } from '../../support/cabinet-scenario.js';

const release = (holderId: number, slot: number) =>
  ({ kind: 'remote_release', commandId: 'cmd-1', holderId, slot }) as const;

it('a remote release for a permitted slot opens the door and that slot only, like a badge would', () => {
  const s = new CabinetScenario();
  const effects = s.send(release(1, 2)); // Alice may take 1 and 2
  expect(kinds(effects)).toEqual(['record:access.granted', 'door', 'release', 'signal']);
  expect(s.events).toEqual([
    {
      type: 'access.granted',
      data: { holderId: 1, holderName: 'Alice', slots: [2], commandId: 'cmd-1' },
    },
  ]);
  expect(effects).toContainEqual({ kind: 'release', slot: 2, ms: 10_000 });
  expect(s.state.session).toMatchObject({ holderId: 1, credentialId: null, slots: [2] });
});

it('the key taken is checked out to the holder, and the session relocks at its timeout', () => {
  const s = new CabinetScenario();
  s.send(release(1, 2));
  s.take(2);
  expect(s.events.at(-1)).toMatchObject({
    type: 'key.checked_out',
    data: { keyId: 200, holderId: 1, slot: 2 },
  });
  expect(s.advance(10_000)).toContainEqual({ kind: 'door', unlocked: false });
  expect(s.state.session).toBeNull();
});
