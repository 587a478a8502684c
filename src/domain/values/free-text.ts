/**
 * The one rule for free text (names, labels, reason-code descriptions, the custodian's name):
 * printable characters only. A value is shown on terminals, the cabinet's screen, CSV files and
 * the central server's console; a control character in it can recolour or rewrite a terminal
 * (ESC), split a CSV row or a log line (CR, LF), or make a name read backwards (bidi
 * overrides). Refused, wherever the text comes from:
 *
 * - C0 controls U+0000–U+001F (tab and line breaks included), DEL U+007F, C1 controls
 *   U+0080–U+009F;
 * - the line and paragraph separators U+2028, U+2029;
 * - bidi embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 (the marks U+200E,
 *   U+200F and U+061C, which right-to-left names may need, stay allowed);
 * - an unpaired UTF-16 surrogate (no character at all).
 *
 * Pure: the caller names the field.
 */

/**
 * `\p{Cc}` is exactly the C0 and C1 controls with DEL; `\p{Cs}` matches only an unpaired
 * surrogate, since the `u` flag reads a well-formed pair as the one character it encodes.
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');
/** What JSON.stringify leaves raw of the above (it escapes C0 and unpaired surrogates). */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x09: 'a tab',
  0x0a: 'a line break',
  0x0d: 'a carriage return',
  0x1b: 'ESC, which starts terminal escape sequences',
  0x7f: 'DEL',
  0x2028: 'a line separator',
  0x2029: 'a paragraph separator',
};

function codePoint(unit: number): string {
  return `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
}

function describe(unit: number): string {
  const name = NAMES[unit];
  if (name) return `${codePoint(unit)} (${name})`;
  if ((unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)) {
    return `${codePoint(unit)} (a bidi control, which can make text read in another order)`;
  }
  if (unit >= 0xd800 && unit <= 0xdfff) return `${codePoint(unit)} (an unpaired surrogate)`;
  return `${codePoint(unit)} (a control character)`;
}

/** The first forbidden character of `value`, described, or undefined when there is none. */
export function forbiddenCharacterProblem(value: string): string | undefined {
  const found = FORBIDDEN.exec(value);
  return found
    ? `contains ${describe(found[0].charCodeAt(0))} at character ${found.index + 1}; text may not hold control characters, line breaks, tabs or bidi controls`
    : undefined;
}

/**
 * What is wrong with a free-text value, or undefined: 1 to `max` characters after trimming
 * spaces, none of them forbidden above.
 */
export function freeTextProblem(value: string, max: number): string | undefined {
  const forbidden = forbiddenCharacterProblem(value);
  if (forbidden !== undefined) return forbidden;
  const clean = value.trim();
  if (clean.length === 0) return 'is empty';
  if (clean.length > max) return `is longer than ${max} characters`;
  return undefined;
}

/**
 * Text from the database made safe to print: every forbidden character shown as an escape
 * (`\x1b`, `\u202e`). Rows may predate the rule or have come from elsewhere, and printing must
 * never hand a terminal a control sequence.
 */
export function printable(text: string): string {
  return text.replace(FORBIDDEN_ALL, (c) => {
    const unit = c.charCodeAt(0);
    return unit <= 0xff
      ? `\\x${unit.toString(16).padStart(2, '0')}`
      : `\\u${unit.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A value echoed in a message: quoted, shortened (a hostile value cannot flood a line) and
 * printable (a mistyped option must not put its ESC on the terminal that shows the error).
 */
export function quoted(value: string, max = 40): string {
  return `"${printable(value.length > max ? `${value.slice(0, max)}…` : value)}"`;
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but leaves DEL, C1, the separators
 * and bidi controls raw; these are escaped too (`\u202e`), which is the same JSON value.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    RAW_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
