import { loadConfig } from '../../config/config.js';
import { backupDatabase } from '../../maintenance/backup.js';
import { requireOption, type Command } from '../command.js';
import { configPath } from '../context.js';

/**
 * An online backup of the cabinet's database, safe while the daemon runs: one consistent
 * snapshot, written atomically (mode 0600), naming the cabinet it came from.
 */
export const backupCommand: Command = {
  path: ['backup'],
  summary: "copy the cabinet's database to a file, consistently, while the daemon runs",
  usage: 'backup --to <file> [--config <file>]',
  options: { to: { type: 'string' } },
  async run(args, io) {
    const to = requireOption(args, 'to');
    // The config only: a backup must not depend on the hardware being as the profile says.
    const config = loadConfig(configPath(args));
    const result = await backupDatabase({
      database: config.database,
      cabinetId: config.cabinetId,
      to,
    });
    io.out(
      `${result.file}: cabinet ${config.cabinetId}, schema version ${result.schemaVersion}, ` +
        `${result.events} events (last seq ${result.lastSeq}), ${result.bytes} bytes`,
    );
  },
};
