import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultRig } from '../support/fault-rig.js';
import { recordFaultOutcome } from '../support/fault-summary.js';
import { SimStream } from '../support/sim-stream.js';
import { sleep } from '../support/wait-for.js';

let rig: FaultRig;
beforeAll(async () => {
  rig = await FaultRig.start();
}, 60_000);
afterAll(() => rig?.stop());

it('the broker stopped for a while under load and restarted: every event reaches the consumer exactly once, chain intact', async () => {
  // Unknown cards only: any output the simulator shows switching on is a wrong release.
  const stream = await SimStream.open(rig.daemon.simUrl());
  rig.startLoad();
  await sleep(1_000);
  await rig.broker.stop();
  const atStop = rig.recordedSeqs().length;
  await sleep(2_000); // events keep being recorded into the outbox
  const duringOutage = rig.recordedSeqs().length - atStop;
  await rig.broker.restart();
  await sleep(1_000);
  rig.stopLoad();
  await sleep(300); // the last badges in flight are recorded

  const recorded = await rig.caughtUp();
  const delivered = new Set(rig.delivered());
  recordFaultOutcome({
    scenario: 'broker-stopped-under-load',
    injections: 1,
    eventsChecked: recorded.length,
    eventsLost: recorded.filter((seq) => !delivered.has(seq)).length,
    keysWronglyReleased: stream.releases.length,
    crashes: rig.daemon.crashes,
  });
  // What matters is a backlog built while the broker was away; how many badges a loaded CI
  // machine manages in 2 s does not (a fixed count here failed under load).
  expect(duringOutage).toBeGreaterThan(10);
  expect([...rig.delivered()].sort((a, b) => a - b)).toEqual(recorded);
  expect(rig.of('chain')).toEqual([]);
  expect(rig.of('conflict')).toEqual([]);
  expect(rig.daemon.crashes).toBe(0);
  await stream.close();
  expect(stream.releases).toEqual([]);
}, 90_000);
