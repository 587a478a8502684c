import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isKeywardenError } from '../../errors.js';
import { acquireCabinetLock, type CabinetLock } from '../../daemon/cabinet-lock.js';
import { createGpio } from '../../daemon/create-gpio.js';
import { createLogger } from '../../log/logger.js';
import {
  LAST_GOOD_OUTPUTS_FILE,
  lastGoodOutputsFile,
  outputsOf,
  readLastGoodOutputs,
  type LastGoodOutputs,
} from '../../platform/last-good-outputs.js';
import type { Command, CommandIo, ParsedArgs } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { configPath, loadSetup } from '../context.js';

/** Where systemd's StateDirectory=keywarden puts the database, when the config cannot say. */
const PACKAGED_STATE_DIRECTORY = '/var/lib/keywarden';

/**
 * systemd's ExecStopPost runs this after every stop, crashes and kills included: a sysfs GPIO
 * keeps its last value when the process that set it dies, so something must drive it off.
 *
 * Not while a daemon holds the cabinet: those outputs are that daemon's. (systemd runs this
 * after its own daemon was refused because another one, started by hand, runs the cabinet;
 * switching that one's coils off mid-session would leave it believing a slot released.)
 *
 * A config or profile edited badly since the daemon started must not stop it either: it then
 * drives off the pins of the last-known-good list the daemon wrote when it last started.
 */
export const outputsOffCommand: Command = {
  path: ['outputs-off'],
  summary: 'drive every solenoid, lock and indicator output off (run by systemd after any stop)',
  usage: 'outputs-off [--config <file>]',
  async run(args, io) {
    let lists: LastGoodOutputs[];
    let logLevel = 'info';
    try {
      const { profile, config } = loadSetup(args);
      logLevel = config.log.level;
      const current: LastGoodOutputs = {
        model: profile.model,
        driver: profile.gpio.driver,
        ...(profile.gpio.chipLabels ? { chipLabels: profile.gpio.chipLabels } : {}),
        database: config.database,
        outputs: outputsOf(profile),
      };
      lists = [current, ...previousOutputs(current, io)];
    } catch (error) {
      lists = [lastGoodOutputs(args, error as Error, io)];
    }
    await driveOff(lists, logLevel, io);
  },
};

/**
 * The list the daemon wrote when it last started, when it differs from the profile as it reads
 * now: a profile edited validly while the daemon ran (pins renumbered, the driver set to sim)
 * must not leave the crashed daemon's coils energised, so both are driven off.
 */
function previousOutputs(current: LastGoodOutputs, io: CommandIo): LastGoodOutputs[] {
  const file = lastGoodOutputsFile(current.database);
  if (!file || !existsSync(file)) return [];
  let previous: LastGoodOutputs;
  try {
    previous = readLastGoodOutputs(file);
  } catch (error) {
    io.err(`keywarden outputs-off: ${(error as Error).message}; driving the profile's outputs`);
    return [];
  }
  const same =
    JSON.stringify({ ...previous, database: '' }) === JSON.stringify({ ...current, database: '' });
  if (same) return [];
  io.err(
    `keywarden outputs-off: the profile's outputs differ from those the daemon last started ` +
      `with (${file}); driving both off`,
  );
  return [previous];
}

/** The last-known-good list, saying so; rethrows the load error when there is none. */
function lastGoodOutputs(args: ParsedArgs, loadError: Error, io: CommandIo): LastGoodOutputs {
  const file = lastGoodCandidates(args).find((candidate) => existsSync(candidate));
  if (!file) throw loadError;
  io.err(
    `keywarden outputs-off: ${loadError.message}\n` +
      `keywarden outputs-off: using the last-known-good pin list ${file} instead`,
  );
  return readLastGoodOutputs(file);
}

/**
 * Beside the database when the config still loads (only the profile is broken); otherwise in
 * the unit's state directory ($STATE_DIRECTORY, which systemd also sets for ExecStopPost).
 */
function lastGoodCandidates(args: ParsedArgs): string[] {
  const candidates: string[] = [];
  try {
    const file = lastGoodOutputsFile(loadConfig(configPath(args)).database);
    if (file) candidates.push(file);
  } catch {
    // The config itself is what broke: fall back to the state directory.
  }
  const stateDirectory = process.env.STATE_DIRECTORY?.split(':')[0];
  if (stateDirectory) candidates.push(join(stateDirectory, LAST_GOOD_OUTPUTS_FILE));
  candidates.push(join(PACKAGED_STATE_DIRECTORY, LAST_GOOD_OUTPUTS_FILE));
  return candidates;
}

async function driveOff(
  lists: readonly LastGoodOutputs[],
  logLevel: string,
  io: CommandIo,
): Promise<void> {
  const real = lists.filter((list) => list.driver !== 'sim');
  const [first] = lists;
  if (!first) return;
  if (real.length === 0) {
    io.out(`${first.model}: simulated GPIO, nothing to drive`);
    return;
  }
  let lock: CabinetLock | undefined;
  try {
    lock = acquireCabinetLock(first.database);
  } catch (error) {
    if (isKeywardenError(error, 'CABINET_IN_USE')) {
      io.out(`${first.model}: outputs left to the running daemon: ${error.message}`);
      return;
    }
    // Fail secure: a lock that cannot be checked must not keep a coil energised.
    io.err(`keywarden outputs-off: ${(error as Error).message}; driving the outputs off anyway`);
  }
  try {
    const logger = createLogger({ level: logLevel });
    for (const list of real) {
      const gpio = await createGpio(
        { driver: list.driver, ...(list.chipLabels ? { chipLabels: list.chipLabels } : {}) },
        logger,
      );
      // Claiming an output drives it off; the write says so once more, and close() a third time.
      for (const pin of list.outputs) {
        try {
          gpio.output(pin).write(false);
        } catch (error) {
          // Keep going: one failing pin must not leave the others energised.
          io.err(`keywarden outputs-off: ${pin.name}: ${(error as Error).message}`);
        }
      }
      try {
        await gpio.ready?.();
      } catch (error) {
        io.err(`keywarden outputs-off: ${(error as Error).message}`);
      }
      gpio.close();
      // chardev: each line's gpioset applies the off level, then releases; systemd ends the
      // unit's processes once this command returns, so wait for that first.
      await gpio.released?.();
      io.out(`${list.model}: every output driven off`);
    }
  } finally {
    lock?.release();
  }
}
