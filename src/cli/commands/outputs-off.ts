import { loadOnoff, OnoffGpioDriver } from '../../../drivers/gpio/onoff-gpio.js';
import { isKeywardenError } from '../../errors.js';
import { acquireCabinetLock, type CabinetLock } from '../../daemon/cabinet-lock.js';
import { claimHardware } from '../../daemon/hardware.js';
import { createLogger } from '../../log/logger.js';
import type { Command } from '../command.js';
import { loadSetup } from '../context.js';

/**
 * systemd's ExecStopPost runs this after every stop, crashes and kills included: a sysfs GPIO
 * keeps its last value when the process that set it dies, so something must drive it off.
 *
 * Not while a daemon holds the cabinet: those outputs are that daemon's. (systemd runs this
 * after its own daemon was refused because another one, started by hand, runs the cabinet;
 * switching that one's coils off mid-session would leave it believing a slot released.)
 */
export const outputsOffCommand: Command = {
  path: ['outputs-off'],
  summary: 'drive every solenoid, lock and indicator output off (run by systemd after any stop)',
  usage: 'outputs-off [--config <file>]',
  async run(args, io) {
    const { profile, config } = loadSetup(args);
    if (profile.gpio.driver === 'sim') {
      io.out(`${profile.model}: simulated GPIO, nothing to drive`);
      return;
    }
    let lock: CabinetLock | undefined;
    try {
      lock = acquireCabinetLock(config.database);
    } catch (error) {
      if (isKeywardenError(error, 'CABINET_IN_USE')) {
        io.out(`${profile.model}: outputs left to the running daemon: ${error.message}`);
        return;
      }
      // Fail secure: a lock that cannot be checked must not keep a coil energised.
      io.err(`keywarden outputs-off: ${(error as Error).message}; driving the outputs off anyway`);
    }
    try {
      const logger = createLogger({ level: config.log.level });
      const base = { Gpio: await loadOnoff(), logger };
      const gpio = new OnoffGpioDriver(
        profile.gpio.chipLabels ? { ...base, chipLabels: profile.gpio.chipLabels } : base,
      );
      const hardware = claimHardware(gpio, profile, logger);
      hardware.allOff();
      gpio.close();
      io.out(`${profile.model}: every output driven off`);
    } finally {
      lock?.release();
    }
  },
};
