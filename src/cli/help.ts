import { closest } from './argv.js';
import type { Command } from './command.js';

/** What `--help` prints: the overview, one group's commands, or one command's usage. */

export const GLOBAL_HELP = `Options for every command (before or after the command):
  -c, --config <file>   config file (default: $KEYWARDEN_CONFIG, else /etc/keywarden/config.json)
  -h, --help            show help for the command`;

/** The commands whose path starts with `prefix` (`holder` → holder add, holder list, …). */
export function commandsUnder(prefix: readonly string[], commands: readonly Command[]): Command[] {
  if (prefix.length === 0) return [];
  return commands.filter(
    (c) => c.path.length > prefix.length && prefix.every((w, i) => c.path[i] === w),
  );
}

export function overview(commands: readonly Command[], group: readonly string[] = []): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  const usage =
    group.length === 0
      ? 'Usage: keywarden <command> [options]'
      : `Usage: keywarden ${group.join(' ')} <command> [options]`;
  return `${usage}\n\nCommands:\n${lines.join('\n')}\n\n${GLOBAL_HELP}\n\nRun "keywarden <command> --help" for a command's options.`;
}

export function commandHelp(command: Command): string {
  return `${command.summary}\n\nUsage: keywarden ${command.usage}\n\n${GLOBAL_HELP}`;
}

/**
 * The command a mistyped one probably meant: the typed words are compared with every command's
 * words, as many as the command has (`holdr list 3` against `holder list`).
 */
export function suggestCommand(
  words: readonly string[],
  commands: readonly Command[],
): string | undefined {
  if (words.length === 0) return undefined;
  const byTyped = new Map<string, string[]>();
  for (const c of commands) {
    const typed = words.slice(0, c.path.length).join(' ');
    byTyped.set(typed, [...(byTyped.get(typed) ?? []), c.path.join(' ')]);
  }
  let best: { name: string; score: number } | undefined;
  for (const [typed, names] of byTyped) {
    const match = closest(typed, names);
    if (match === undefined) continue;
    // Prefer the match that used more of what was typed.
    const score = typed.length;
    if (!best || score > best.score) best = { name: match, score };
  }
  return best?.name;
}
