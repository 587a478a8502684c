import { isKeywardenError } from '../../errors.js';
import { createLogger } from '../../log/logger.js';
import { installCrashGuard } from '../../daemon/crash-guard.js';
import { claimCabinet, sinceProcessStart, type CabinetClaim } from '../../daemon/claim-cabinet.js';
import type { Command } from '../command.js';
import { loadSetup } from '../context.js';
import { refuseDemoOnRealGpio } from '../../sim/demo-guard.js';

/**
 * Exit status when another daemon already runs the cabinet: sysexits' EX_TEMPFAIL ("try again
 * later"). Not 78: once the other daemon stops, the same start succeeds, so systemd may retry.
 */
export const EXIT_CABINET_IN_USE = 75;

export const runCommand: Command = {
  path: ['run'],
  summary: 'run the cabinet daemon',
  usage: 'run [--config <file>] [--demo] [--interactive | --no-interactive]',
  options: {
    demo: { type: 'boolean' },
    interactive: { type: 'boolean' },
    'no-interactive': { type: 'boolean' },
  },
  async run(args, io) {
    const { config, profile } = loadSetup(args);
    // Before any pin is claimed: a demo on a real cabinet is a mistake to stop, not to start.
    if (args.values.demo === true) refuseDemoOnRealGpio(profile);
    const logger = createLogger({ level: config.log.level });

    // The lock first, then every output off, and only then the rest of the daemon loads (MQTT,
    // serial ports, the application): a refused second daemon touches nothing, and a coil left
    // energised by a crashed run goes off before anything slow.
    let claim: CabinetClaim;
    try {
      claim = await claimCabinet({ config, profile, logger });
    } catch (error) {
      if (!isKeywardenError(error, 'CABINET_IN_USE')) throw error;
      io.err(`keywarden run: ${error.message}`);
      return EXIT_CABINET_IN_USE;
    }
    const { hardware } = claim;
    // Fail secure: whatever goes wrong from here, outputs go off before the process leaves.
    installCrashGuard(process, {
      failSafe: () => hardware.allOff(),
      logger,
      exit: (code) => process.exit(code),
    });

    const { Daemon } = await import('../../daemon/daemon.js');
    logger.info({ module: 'daemon', sinceStartMs: sinceProcessStart() }, 'daemon code loaded');
    const daemon = new Daemon({ config, profile, logger, demo: args.values.demo === true, claim });
    try {
      await daemon.start();
    } catch (err) {
      daemon.failSafe();
      await daemon.stop('failed to start');
      throw err;
    }

    const wantTerminal =
      args.values['no-interactive'] !== true &&
      (args.values.interactive === true || (process.stdin.isTTY && daemon.sim !== undefined));
    const terminal =
      wantTerminal && daemon.sim
        ? new (await import('../../sim/terminal.js')).Terminal(
            daemon,
            process.stdin,
            process.stdout,
          )
        : undefined;

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        terminal?.close();
        void daemon.stop(signal).then(resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      terminal?.on('quit', () => stop('quit'));
    });
    return 0;
  },
};

/** Failures that a restart cannot fix; systemd is told not to retry them (exit 78). */
export function isPermanentStartError(error: unknown): boolean {
  return (
    ['CONFIG_INVALID', 'PROFILE_INVALID', 'DATABASE_TOO_NEW', 'MIGRATION_FAILED'] as const
  ).some((code) => isKeywardenError(error, code));
}
