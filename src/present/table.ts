import { printable } from '../domain/values/free-text.js';

/**
 * Plain aligned columns for a terminal; `--json` output is for machines. Cells hold text from
 * the database, which may predate the free-text rule or have come from a sync: control
 * characters are shown escaped, never handed to the terminal.
 */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => printable(String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
