import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/profile.js';
import { hardwareDir } from '../../src/paths.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
const solenoids = Array.from({ length: 12 }, (_, i) => `slot${i + 1}.solenoid`);
let h: CommandHarness;

beforeAll(async () => {
  // A supply for all twelve at once; the sim profile's six would queue the rest.
  const sim = loadProfile('sim', hardwareDir());
  h = await CommandHarness.start([signer], {
    ...sim,
    solenoids: { ...sim.solenoids, maxConcurrent: 12 },
  });
});
afterAll(() => h.stop());

it('emergency_release unlocks the door and every slot until emergency_release_end', async () => {
  const start = signer.sign('emergency_release');
  expect((await h.send(start)).reply).toMatchObject({
    status: 'ok',
    result: { emergency: true, source: 'command' },
  });
  expect(h.energised().sort()).toEqual(['door.lock', ...solenoids].sort());
  expect(h.eventsSince(0).at(-1)).toMatchObject({
    type: 'emergency.started',
    data: { source: 'command', commandId: start.id },
  });

  const end = signer.sign('emergency_release_end');
  expect((await h.send(end)).reply).toMatchObject({ status: 'ok', result: { emergency: false } });
  expect(h.energised()).toEqual([]);
  expect(h.eventsSince(0).at(-1)).toMatchObject({
    type: 'emergency.ended',
    data: { source: 'command', commandId: end.id },
  });
});

it('an emergency release is not resumed after a restart: the cabinet comes up locked', async () => {
  await h.send(signer.sign('emergency_release'));
  await h.daemon.stop();
  await h.startDaemon();
  expect(h.daemon.runner.current.emergency).toBeNull();
  expect(h.energised()).toEqual([]);
});
