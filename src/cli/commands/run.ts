import { isKeywardenError } from '../../errors.js';
import { createLogger } from '../../log/logger.js';
import { installCrashGuard } from '../../daemon/crash-guard.js';
import { Daemon } from '../../daemon/daemon.js';
import { Terminal } from '../../sim/terminal.js';
import type { Command } from '../command.js';
import { loadSetup } from '../context.js';

export const runCommand: Command = {
  path: ['run'],
  summary: 'run the cabinet daemon',
  usage: 'run [--config <file>] [--demo] [--interactive | --no-interactive]',
  options: {
    demo: { type: 'boolean' },
    interactive: { type: 'boolean' },
    'no-interactive': { type: 'boolean' },
  },
  async run(args) {
    const { config, profile } = loadSetup(args);
    const logger = createLogger({ level: config.log.level });
    const daemon = new Daemon({ config, profile, logger, demo: args.values.demo === true });

    // Fail secure: whatever goes wrong, outputs go off before the process leaves.
    installCrashGuard(process, {
      failSafe: () => daemon.failSafe(),
      logger,
      exit: (code) => process.exit(code),
    });

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
      wantTerminal && daemon.sim ? new Terminal(daemon, process.stdin, process.stdout) : undefined;

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
