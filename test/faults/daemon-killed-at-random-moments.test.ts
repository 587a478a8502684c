import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FULL_RUN, FaultRig } from '../support/fault-rig.js';
import { sleep } from '../support/wait-for.js';

const KILLS = FULL_RUN ? 40 : 4;

let rig: FaultRig;
beforeAll(async () => {
  rig = await FaultRig.start();
}, 60_000);
afterAll(() => rig?.stop());

it(`the daemon SIGKILLed at ${KILLS} random moments under load: nothing committed is lost, the database stays sound`, async () => {
  for (let i = 0; i < KILLS; i++) {
    rig.startLoad(10);
    await sleep(randomInt(200, 1_200));
    await rig.daemon.stop('SIGKILL');
    rig.stopLoad();
    expect(rig.integrityCheck()).toBe('ok');
    await rig.daemon.start();
  }
  const recorded = await rig.caughtUp(90_000);
  // Gap-free at the cabinet: a killed transaction leaves nothing half-written.
  expect(recorded).toEqual(Array.from({ length: recorded.length }, (_, i) => i + 1));
  expect([...rig.delivered()].sort((a, b) => a - b)).toEqual(recorded);
  expect(rig.of('chain')).toEqual([]);
  expect(rig.of('conflict')).toEqual([]);
}, 240_000);
