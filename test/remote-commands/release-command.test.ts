import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';
import { waitFor } from '../support/wait-for.js';

const signer = new TestSigner();
let h: CommandHarness;

beforeAll(async () => {
  h = await CommandHarness.start([signer]); // Alice (holder 1) may take slots 1 and 2
  await waitFor(() => h.daemon.runner.current.slots[0]?.occupied === true, 'K-1 seen in slot 1');
});
afterAll(() => h.stop());

it('a release of a slot the holder may not take is denied and energises nothing', async () => {
  const command = signer.sign('release', { slot: 3, holderId: 1 });
  const { reply } = await h.send(command);
  expect(reply).toMatchObject({
    status: 'ok',
    result: { granted: false, reason: 'nothing_permitted' },
  });
  expect(h.eventsSince(0).at(-1)).toMatchObject({
    type: 'access.denied',
    data: { reason: 'nothing_permitted', holderId: 1, commandId: command.id },
  });
  expect(h.energised().filter((o) => o !== 'indicator.red')).toEqual([]);
});

it('a release of a permitted slot unlocks the door and energises that solenoid only', async () => {
  const command = signer.sign('release', { slot: 1, holderId: 1 });
  const { reply } = await h.send(command);
  expect(reply).toMatchObject({ status: 'ok', result: { granted: true, slots: [1] } });
  expect(h.eventsSince(0).slice(-2)).toMatchObject([
    { type: 'command.accepted', data: { commandId: command.id } },
    {
      type: 'access.granted',
      data: { holderId: 1, holderName: 'Alice', slots: [1], commandId: command.id },
    },
  ]);
  expect(
    h
      .energised()
      .filter((o) => o !== 'indicator.red')
      .sort(),
  ).toEqual(['door.lock', 'indicator.green', 'slot1.solenoid']);
});
