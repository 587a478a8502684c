import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultRig } from '../support/fault-rig.js';
import { sleep, waitFor } from '../support/wait-for.js';

let rig: FaultRig;
beforeAll(async () => {
  rig = await FaultRig.start();
}, 60_000);
afterAll(() => rig?.stop());

it('the broker SIGKILLed in the middle of a drain loses what it had acknowledged; replays fill the gap', async () => {
  await rig.broker.stop();
  rig.startLoad(5);
  await sleep(3_000); // a backlog builds while the broker is away
  rig.stopLoad();
  const backlog = rig.recordedSeqs().length;
  await rig.broker.restart();
  // Kill it while the outbox is draining: what it acknowledged but had not delivered is gone.
  const before = rig.delivered().length;
  await waitFor(() => rig.delivered().length > before, 'the drain under way', 20_000);
  await rig.broker.kill();
  await sleep(500);
  await rig.broker.restart();

  const recorded = await rig.caughtUp(90_000);
  expect(recorded.length).toBeGreaterThanOrEqual(backlog);
  expect([...rig.delivered()].sort((a, b) => a - b)).toEqual(recorded);
  expect(rig.of('chain')).toEqual([]);
}, 120_000);
