import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultRig } from '../support/fault-rig.js';
import { recordFaultOutcome } from '../support/fault-summary.js';
import { SimStream } from '../support/sim-stream.js';
import { waitFor } from '../support/wait-for.js';

let rig: FaultRig;
beforeAll(async () => {
  rig = await FaultRig.start();
}, 60_000);
afterAll(() => rig?.stop());

/** Events recorded while the broker is away; the drain of this many is where the kill lands. */
const BACKLOG = 300;

it('the broker SIGKILLed in the middle of a drain loses what it had acknowledged; replays fill the gap', async () => {
  // Unknown cards only: any output the simulator shows switching on is a wrong release.
  const stream = await SimStream.open(rig.daemon.simUrl());
  const logsAtStop = rig.daemon.logs.length;
  await rig.broker.stop();
  await rig.daemon.waitForLog(
    (l) => l.msg === 'broker unreachable; events wait in the outbox',
    10_000,
    logsAtStop,
  );
  const atStop = rig.recordedSeqs().length;
  rig.startLoad(5);
  // A backlog builds while the broker is away: large enough that the drain takes a while.
  await waitFor(
    () => rig.recordedSeqs().length - atStop >= BACKLOG,
    `a backlog of ${BACKLOG} events`,
    60_000,
  );
  await rig.stopLoad(); // resolves once every badge sent has been answered, so recorded
  const backlog = rig.recordedSeqs().length;
  await rig.broker.restart();
  // Kill it while the outbox is draining: what it acknowledged but had not delivered is gone.
  const before = rig.delivered().length;
  await waitFor(() => rig.delivered().length > before, 'the drain under way', 20_000);
  const logsAtKill = rig.daemon.logs.length;
  await rig.broker.kill();
  // The daemon has seen the connection drop before the broker comes back.
  await rig.daemon.waitForLog(
    (l) => l.msg === 'broker unreachable; events wait in the outbox',
    10_000,
    logsAtKill,
  );
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
