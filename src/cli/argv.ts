/**
 * Finding the command in argv. Global options (`--config <file>`, `-c <file>`, `--help`) may
 * stand anywhere, as users of git and systemctl expect: `keywarden --config x holder list` and
 * `keywarden holder list --config x` are the same command. Command words are the arguments
 * before the first command-specific option, global options and their values skipped.
 */

/** Global options that take a value; their value is never a command word. */
const GLOBAL_WITH_VALUE = new Set(['--config', '-c']);
const GLOBAL_FLAGS = new Set(['--help', '-h']);

export interface LocatedCommand<C extends { path: string[] }> {
  command: C | undefined;
  /** The candidate command words as typed (for help on a group and for suggestions). */
  words: string[];
  /** argv without the command's words: what the command's own parser reads. */
  rest: string[];
}

export function locateCommand<C extends { path: string[] }>(
  argv: readonly string[],
  commands: readonly C[],
): LocatedCommand<C> {
  const wordAt: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (GLOBAL_WITH_VALUE.has(arg)) {
      i += 1;
      continue;
    }
    if (GLOBAL_FLAGS.has(arg) || arg.startsWith('--config=')) continue;
    if (arg.startsWith('-')) break;
    wordAt.push(i);
  }
  const words = wordAt.map((i) => argv[i] as string);
  const command = commands
    .filter((c) => c.path.every((w, i) => words[i] === w))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!command) return { command, words, rest: [...argv] };
  const taken = new Set(wordAt.slice(0, command.path.length));
  return { command, words, rest: argv.filter((_, i) => !taken.has(i)) };
}

/** True when argv asks for help anywhere (`-h`, `--help`), not as another option's value. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a, i) => GLOBAL_FLAGS.has(a) && !GLOBAL_WITH_VALUE.has(argv[i - 1] ?? ''));
}

/**
 * `--limit -5` would be read by node's parser as "--limit without a value, then an option -5"
 * and refused as ambiguous. A string option followed by something shaped like a negative number
 * takes it as its value, so the command's own check can say what is wrong with it.
 */
export function attachNegativeValues(
  argv: readonly string[],
  takesValue: (option: string) => boolean,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (takesValue(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** The closest candidate to a typo, when one is close enough to be what was meant. */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  // One edit in three characters at most, and never more than three: "hodler" → "holder", but
  // "xyz" suggests nothing rather than an unrelated command.
  const allowed = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  return best && best.distance <= allowed ? best.candidate : undefined;
}

/** Damerau-Levenshtein (optimal string alignment): a swap of two letters is one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** `--jsn` → `--json`: the command's own options and the global ones. */
export function suggestOption(typed: string, options: readonly string[]): string | undefined {
  const name = typed.replace(/^-+/, '').replace(/=.*$/, '');
  const match = closest(
    name,
    options.filter((o) => o.length > 1),
  );
  return match === undefined ? undefined : `--${match}`;
}
