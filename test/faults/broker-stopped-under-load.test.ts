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

/** Events recorded while the broker is away, before it comes back: the backlog to drain. */
const BACKLOG = 30;

it('the broker stopped for a while under load and restarted: every event reaches the consumer exactly once, chain intact', async () => {
  // Unknown cards only: any output the simulator shows switching on is a wrong release.
  const stream = await SimStream.open(rig.daemon.simUrl());
  rig.startLoad();
  // The load reaches the central server before the broker goes.
  await waitFor(() => rig.delivered().length >= 20, 'the load at the central server', 20_000);
  const logsAtStop = rig.daemon.logs.length;
  await rig.broker.stop();
  await rig.daemon.waitForLog(
    (l) => l.msg === 'broker unreachable; events wait in the outbox',
    10_000,
    logsAtStop,
  );
  const atStop = rig.recordedSeqs().length;
  // Events keep being recorded into the outbox: wait for a backlog, however fast this machine.
  await waitFor(
    () => rig.recordedSeqs().length - atStop >= BACKLOG,
    `${BACKLOG} events recorded while the broker is away`,
    20_000,
  );
  const logsAtRestart = rig.daemon.logs.length;
  await rig.broker.restart();
  await rig.daemon.waitForLog(
    (l) => l.msg === 'connected to the broker; sending the outbox',
    20_000,
    logsAtRestart,
  );
  // Still under load after the restart: events recorded now reach the consumer too.
  const afterRestart = rig.recordedSeqs().at(-1) ?? 0;
  await waitFor(
    () => rig.delivered().some((seq) => seq > afterRestart + 20),
    'the load after the restart at the central server',
    20_000,
  );
  await rig.stopLoad(); // resolves once every badge sent has been answered, so recorded

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
  expect([...rig.delivered()].sort((a, b) => a - b)).toEqual(recorded);
  expect(rig.of('chain')).toEqual([]);
  expect(rig.of('conflict')).toEqual([]);
  expect(rig.daemon.crashes).toBe(0);
  await stream.close();
  expect(stream.releases).toEqual([]);
}, 90_000);
