/*
 * Parsers for what libgpiod's tools print. Both major versions are read: the chardev driver
 * needs version 2 tools, but the GPIO report (`keywarden doctor`) also runs on a Bookworm Pi
 * with version 1.6, where the same commands print lines in a slightly different shape:
 *
 *   gpiodetect (both):  gpiochip0 [pinctrl-bcm2711] (58 lines)
 *   gpioinfo v2:        \tline  17:\t"GPIO17"       \toutput consumer="keywarden:slot1"
 *   gpioinfo v1:        \tline  17:      "GPIO17" "keywarden"  output  active-high [used]
 *   either, unnamed:    \tline  58:      unnamed       unused   input  active-high
 */

export interface ChipInfo {
  /** The character device's name, e.g. 'gpiochip0' (/dev/gpiochip0). */
  name: string;
  label: string;
  lines: number;
}

export interface LineInfo {
  offset: number;
  /** undefined for an unnamed line. */
  name: string | undefined;
  /** Who holds the line, when anyone does ('kernel' when the tool names nobody). */
  consumer: string | undefined;
}

const DETECT_LINE = /^(gpiochip\d+) \[(.*)\] \((\d+) lines?\)\s*$/;

export function parseGpiodetect(output: string): ChipInfo[] {
  const chips: ChipInfo[] = [];
  for (const line of output.split('\n')) {
    const match = DETECT_LINE.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) {
      chips.push({ name: match[1], label: match[2], lines: Number(match[3]) });
    }
  }
  return chips;
}

const INFO_LINE = /^line\s+(\d+):\s+(?:"([^"]*)"|unnamed)\s*(.*)$/;

export function parseGpioinfo(output: string): LineInfo[] {
  const lines: LineInfo[] = [];
  for (const text of output.split('\n')) {
    const match = INFO_LINE.exec(text.trim());
    if (!match?.[1]) continue;
    lines.push({
      offset: Number(match[1]),
      name: match[2],
      consumer: consumerOf(match[3] ?? ''),
    });
  }
  return lines;
}

function consumerOf(rest: string): string | undefined {
  // Version 2: a `consumer=` attribute, present only while the line is in use.
  const v2 = /(?:^|\s)consumer=(?:"([^"]*)"|(\S+))/.exec(rest);
  if (v2) return v2[1] ?? v2[2];
  // Version 1: the second column is "unused" or the consumer's quoted name.
  if (rest.startsWith('unused')) return undefined;
  const v1 = /^"([^"]*)"/.exec(rest);
  if (v1) return v1[1];
  if (/\[used\]|(?:^|\s)used(?:\s|$)/.test(rest)) return 'kernel';
  return undefined;
}

/** The major version from `gpioset --version` ("gpioset (libgpiod) v2.1.3"), if printed. */
export function parseToolVersion(output: string): number | undefined {
  const match = /libgpiod\)?\s+v?(\d+)\.\d+/.exec(output);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Reads `GPIO17=active` / `17=inactive` (unquoted tool output) as a logical level. */
export function parseLevel(line: string, id: string): boolean | undefined {
  const cleaned = line.replace(/^(gpioset> )+/, '').trim();
  for (const token of cleaned.split(/\s+/)) {
    const [key, value] = token.replace(/"/g, '').split('=');
    if (key !== id) continue;
    if (value === 'active' || value === '1') return true;
    if (value === 'inactive' || value === '0') return false;
  }
  return undefined;
}
