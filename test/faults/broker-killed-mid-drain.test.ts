import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultRig } from '../support/fault-rig.js';
import { recordFaultOutcome } from '../support/fault-summary.js';
import { SimStream } from '../support/sim-stream.js';
import { sleep, waitFor } from '../support/wait-for.js';

let rig: FaultRig;
beforeAll(async () => {
  rig = await FaultRig.start();
}, 60_000);
afterAll(() => rig?.stop());

it('the broker SIGKILLed in the middle of a drain loses what it had acknowledged; replays fill the gap', async () => {
  // Unknown cards only: any output the simulator shows switching on is a wrong release.
  const stream = await SimStream.open(rig.daemon.simUrl());
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
  const delivered = new Set(rig.delivered());
  recordFaultOutcome({
    scenario: 'broker-killed-mid-drain',
    injections: 2, // stopped for a backlog, then SIGKILLed mid-drain
    eventsChecked: recorded.length,
    eventsLost: recorded.filter((seq) => !delivered.has(seq)).length,
    keysWronglyReleased: stream.releases.length,
    crashes: rig.daemon.crashes,
  });
  expect(recorded.length).toBeGreaterThanOrEqual(backlog);
  expect([...rig.delivered()].sort((a, b) => a - b)).toEqual(recorded);
  expect(rig.of('chain')).toEqual([]);
  expect(rig.daemon.crashes).toBe(0);
  await stream.close();
  expect(stream.releases).toEqual([]);
}, 120_000);
