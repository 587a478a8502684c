#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isKeywardenError } from '../errors.js';
import { parseCommandArgs, type Command, type CommandIo } from './command.js';
import { configCommands } from './commands/config.js';
import { csvCommands } from './commands/csv.js';
import { custodianCommands } from './commands/custodian.js';
import { monitorCommands } from './commands/monitor.js';
import { outputsOffCommand } from './commands/outputs-off.js';
import { reportCommands } from './commands/report.js';
import { isPermanentStartError, runCommand } from './commands/run.js';
import { simCommands } from './commands/sim.js';

export const COMMANDS: Command[] = [
  runCommand,
  ...custodianCommands,
  ...configCommands,
  outputsOffCommand,
  ...simCommands,
  ...monitorCommands,
  ...csvCommands,
  ...reportCommands,
];

/**
 * Exit codes: 0 done, 1 failed, 2 wrong usage (nothing changed), 78 (EX_CONFIG) a problem that
 * restarting cannot fix: invalid config or profile, a database from a newer Keywarden.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

const GLOBAL_HELP = `Options for every command:
  -c, --config <file>   config file (default: $KEYWARDEN_CONFIG, else /etc/keywarden/config.json)
  -h, --help            show help for the command`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  // The command's words come first: `keywarden holder add --name …`.
  const firstOption = argv.findIndex((a) => a.startsWith('-'));
  const words = firstOption === -1 ? argv : argv.slice(0, firstOption);
  const command = findCommand(words);
  if (!command) {
    const prefix = words.length > 0 ? words : [];
    const group = COMMANDS.filter((c) => prefix.every((w, i) => c.path[i] === w));
    if (
      argv.length === 0 ||
      argv.includes('--help') ||
      argv.includes('-h') ||
      (group.length > 0 && prefix.length > 0)
    ) {
      io.out(overview(group.length > 0 ? group : COMMANDS));
      return argv.length === 0 || argv.includes('--help') || argv.includes('-h')
        ? EXIT.ok
        : EXIT.usage;
    }
    io.err(`keywarden: unknown command "${words.join(' ')}"\n`);
    io.err(overview(COMMANDS));
    return EXIT.usage;
  }
  const rest = argv.slice(command.path.length);
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.out(`${command.summary}\n\nUsage: keywarden ${command.usage}\n\n${GLOBAL_HELP}`);
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

function findCommand(words: string[]): Command | undefined {
  return COMMANDS.filter((c) => c.path.every((w, i) => words[i] === w)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
}

function overview(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `Usage: keywarden <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n${GLOBAL_HELP}\n\nRun "keywarden <command> --help" for a command's options.`;
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
