import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SimPortRegistry } from '../../drivers/serial/sim-port.js';
import { isPermanentStartError } from '../../src/cli/commands/run.js';
import { loadProfile, type HardwareProfile } from '../../src/config/profile.js';
import { claimCabinet } from '../../src/daemon/claim-cabinet.js';
import { createReaders } from '../../src/daemon/readers.js';
import { isKeywardenError } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { testConfig } from '../support/test-config.js';

/**
 * The drivers throw their own errors (drivers/errors.ts); where the daemon builds them from the
 * profile and config, a refusal keeps the code, message and exit status it had: a bad setting
 * is a bad profile or config (exit 78, systemd does not retry). The profiles here are broken
 * past the profile checks, as a defect in them would let through.
 */

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function onDisk() {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-driver-errors-'));
  dirs.push(dir);
  return testConfig({ database: join(dir, 'cabinet.db') });
}

const simProfile = (): HardwareProfile => loadProfile('sim', hardwareDir());

async function claimFailure(profile: HardwareProfile, config = onDisk()): Promise<unknown> {
  return claimCabinet({ config, profile, logger: silentLogger() }).then(
    () => expect.unreachable('the claim should have been refused'),
    (error: unknown) => error,
  );
}

function thrown(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  return expect.unreachable('the readers should have been refused');
}

it('a solenoid setting the driver refuses is PROFILE_INVALID, exit 78, and frees the lock', async () => {
  const config = onDisk();
  const profile = simProfile();
  const error = await claimFailure(
    { ...profile, solenoids: { ...profile.solenoids, maxOnMs: 0 } },
    config,
  );
  expect(isKeywardenError(error, 'PROFILE_INVALID')).toBe(true);
  expect((error as Error).message).toBe('solenoid maxOnMs must be > 0, got 0');
  expect(isPermanentStartError(error)).toBe(true);
  const claim = await claimCabinet({ config, profile, logger: silentLogger() });
  claim.hardware.allOff();
  claim.lock.release();
});

it('a pin claimed twice is CONFLICT, as before', async () => {
  const profile = simProfile();
  const door = {
    ...profile.door,
    lock: { ...profile.door.lock, bcm: profile.slots[0]!.solenoid.bcm },
  };
  const error = await claimFailure({ ...profile, door });
  expect(isKeywardenError(error, 'CONFLICT')).toBe(true);
  expect((error as Error).message).toMatch(
    /^GPIO pin 'door\.lock': BCM \d+ is already claimed by 'slot1\.solenoid'$/,
  );
  expect(isPermanentStartError(error)).toBe(false);
});

it('an ascii-line badge reader without a line format is CONFIG_INVALID, exit 78', () => {
  const profile = simProfile();
  const badge = { ...profile.readers.badge, protocol: 'ascii-line' as const };
  delete badge.lineFormat;
  const error = thrown(() =>
    createReaders(
      { ...profile, readers: { ...profile.readers, badge } },
      testConfig(),
      new SimPortRegistry().factory,
      silentLogger(),
    ),
  );
  expect((error as Error).message).toBe(
    "badge reader badge: protocol ascii-line needs lineFormat 'decimal' or 'hex'",
  );
  expect(isKeywardenError(error, 'CONFIG_INVALID')).toBe(true);
  expect(isPermanentStartError(error)).toBe(true);
});
