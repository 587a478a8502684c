#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isKeywardenError } from '../errors.js';
import { locateCommand, wantsHelp } from './argv.js';
import { exitQuietlyWhenReaderLeaves } from './closed-pipe.js';
import { parseCommandArgs, type Command, type CommandIo } from './command.js';
import { backupCommand } from './commands/backup.js';
import { configCommands } from './commands/config.js';
import { csvCommands } from './commands/csv.js';
import { custodianCommands } from './commands/custodian.js';
import { doctorCommand } from './commands/doctor.js';
import { monitorCommands } from './commands/monitor.js';
import { osdpCommands } from './commands/osdp.js';
import { outputsOffCommand } from './commands/outputs-off.js';
import { reportCommands } from './commands/report.js';
import { selftestCommand } from './commands/selftest.js';
import { restoreCommand } from './commands/restore.js';
import { isPermanentStartError, runCommand } from './commands/run.js';
import { simCommands } from './commands/sim.js';
import { webCommand } from './commands/web.js';
import { webUserCommands } from './commands/web-user.js';
import { commandHelp, commandsUnder, overview, suggestCommand } from './help.js';
import { EXIT } from './exit-codes.js';

export const COMMANDS: Command[] = [
  runCommand,
  ...custodianCommands,
  ...configCommands,
  outputsOffCommand,
  selftestCommand,
  ...osdpCommands(),
  ...simCommands,
  ...monitorCommands,
  ...csvCommands,
  ...reportCommands,
  webCommand,
  ...webUserCommands,
  doctorCommand,
  backupCommand,
  restoreCommand,
];

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { command, words, rest } = locateCommand(argv, COMMANDS);
  if (!command) return withoutCommand(argv, words, io);
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    const code = await command.run(args, io);
    return typeof code === 'number' ? code : EXIT.ok;
  } catch (error) {
    if (isKeywardenError(error, 'USAGE')) {
      io.err(`keywarden ${command.path.join(' ')}: ${error.message}`);
      io.err(`Usage: keywarden ${command.usage}`);
      return EXIT.usage;
    }
    io.err(`keywarden ${command.path.join(' ')}: ${(error as Error).message}`);
    return isPermanentStartError(error) ? EXIT.config : EXIT.failed;
  }
}

/**
 * No whole command was named: the overview (asked for, or nothing typed), a group's commands
 * (`keywarden holder`: usage, exit 2; `keywarden holder --help`: exit 0), or an unknown command
 * with the one that was probably meant.
 */
function withoutCommand(argv: string[], words: string[], io: CommandIo): number {
  const help = wantsHelp(argv);
  if (words.length === 0 && (help || argv.length === 0)) {
    io.out(overview(COMMANDS));
    return EXIT.ok;
  }
  const group = commandsUnder(words, COMMANDS);
  if (group.length > 0) {
    if (help) {
      io.out(overview(group, words));
      return EXIT.ok;
    }
    io.err(`keywarden ${words.join(' ')}: which one? (one of the commands below)\n`);
    io.err(overview(group, words));
    return EXIT.usage;
  }
  const meant = suggestCommand(words, COMMANDS);
  io.err(
    words.length === 0
      ? 'keywarden: no command given'
      : `keywarden: unknown command "${words.join(' ')}"${meant ? `. Did you mean "${meant}"?` : ''}`,
  );
  io.err('Run "keywarden --help" for the list of commands.');
  return EXIT.usage;
}

/** True when run as a program (directly or through npm's bin symlink), not when imported. */
function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  if (!invoked) return false;
  try {
    return realpathSync(invoked) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // The daemon handles its own output streams; every other command is a filter in a pipe.
  if (locateCommand(process.argv.slice(2), COMMANDS).command !== runCommand) {
    exitQuietlyWhenReaderLeaves(process.stdout);
  }
  main(process.argv.slice(2), {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`keywarden: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
