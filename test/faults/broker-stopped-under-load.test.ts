import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultRig } from '../support/fault-rig.js';
import { sleep } from '../support/wait-for.js';

let rig: FaultRig;
beforeAll(async () => {
  rig = await FaultRig.start();
}, 60_000);
afterAll(() => rig?.stop());

it('the broker stopped for a while under load and restarted: every event reaches the consumer exactly once, chain intact', async () => {
  rig.startLoad();
  await sleep(1_000);
  await rig.broker.stop();
  await sleep(2_000); // events keep being recorded into the outbox
  await rig.broker.restart();
  await sleep(1_000);
  rig.stopLoad();
  await sleep(300); // the last badges in flight are recorded

  const recorded = await rig.caughtUp();
  expect(recorded.length).toBeGreaterThan(100);
  expect([...rig.delivered()].sort((a, b) => a - b)).toEqual(recorded);
  expect(rig.of('chain')).toEqual([]);
  expect(rig.of('conflict')).toEqual([]);
}, 90_000);
