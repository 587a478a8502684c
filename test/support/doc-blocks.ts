import { readFileSync } from 'node:fs';

/**
 * The shell examples of a markdown file, for the docs test (test/docs). The convention, also
 * stated in CONTRIBUTING terms in README.md ("Docs that run"):
 *
 * - every fenced block opened with ```sh is run, in the order of the file, as one bash script;
 * - a block whose first line is `# not run by the docs test: <reason>` is skipped, and the
 *   reason is required, so a reader sees why (a Raspberry Pi, root, a stream that never ends);
 * - blocks of other languages (```json, plain ```) are never run.
 */
export interface ShellBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  script: string;
  /** Why it is not run, when it is marked so. */
  skip?: string;
}

const OPEN = /^(\s*)```sh\s*$/;
const CLOSE = /^\s*```\s*$/;
export const SKIP_MARK = /^#\s*not run by the docs test:(.*)$/;

export function shellBlocks(file: string, text = readFileSync(file, 'utf8')): ShellBlock[] {
  const lines = text.split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i] as string);
    if (!open) continue;
    const indent = (open[1] as string).length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !CLOSE.test(lines[j] as string); j++) {
      body.push((lines[j] as string).slice(indent));
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: a sh block is never closed`);
    const mark = SKIP_MARK.exec((body[0] ?? '').trim());
    const block: ShellBlock = { file, line: i + 1, script: body.join('\n') };
    if (mark) block.skip = (mark[1] as string).trim();
    blocks.push(block);
    i = j;
  }
  return blocks;
}
