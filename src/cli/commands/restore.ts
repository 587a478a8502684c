import { loadConfig } from '../../config/config.js';
import { restoreDatabase } from '../../maintenance/restore.js';
import { requireOption, type Command } from '../command.js';
import { configPath } from '../context.js';

/**
 * Puts a backup in place of the cabinet's database, with the daemon stopped. Refuses a backup
 * of another cabinet unless --other-cabinet says so, a file that is not a Keywarden database,
 * and one from a newer Keywarden; the replaced database is kept beside it.
 */
export const restoreCommand: Command = {
  path: ['restore'],
  summary: "replace the cabinet's database with a backup (the daemon stopped); the old one is kept",
  usage: 'restore --from <file> [--other-cabinet] [--config <file>]',
  options: { from: { type: 'string' }, 'other-cabinet': { type: 'boolean' } },
  run(args, io) {
    const from = requireOption(args, 'from');
    const config = loadConfig(configPath(args));
    const { backup, replacedKeptAt } = restoreDatabase({
      database: config.database,
      cabinetId: config.cabinetId,
      from,
      otherCabinet: args.values['other-cabinet'] === true,
    });
    const made = backup.madeAt === undefined ? '' : `, made ${backup.madeAt}`;
    io.out(
      `${config.database}: restored from ${from} (cabinet ${backup.cabinetId ?? 'unnamed'}${made}, ` +
        `schema version ${backup.schemaVersion}, ${backup.events} events)`,
    );
    io.out(
      replacedKeptAt === undefined
        ? 'There was no database to replace.'
        : `The replaced database is kept at ${replacedKeptAt}; remove it once the cabinet runs as it should.`,
    );
  },
};
