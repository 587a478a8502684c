/**
 * ASCII line readers (desktop USB/RS-232 readers in keyboard-less mode, Wiegand-to-RS-232
 * converters): one card number per line, with no standard for the number's form, so the
 * format is configured per reader rather than guessed.
 *
 *   decimal: 1–20 digits, kept as sent (leading zeros are part of the printed number)
 *            e.g. "0008844356"
 *   hex:     1–16 hex digits, upper-cased
 *            e.g. "100086f444" → "100086F444", or "XXYYZZ" (26-bit Wiegand, 24 data bits)
 *
 * Surrounding whitespace is ignored. Line splitting is LineReader's job.
 */
export type AsciiBadgeFormat = 'decimal' | 'hex';

export type AsciiBadgeResult = { ok: true; card: string } | { ok: false; reason: string };

const DECIMAL = /^[0-9]{1,20}$/;
const HEX = /^[0-9A-Fa-f]{1,16}$/;

export function parseAsciiBadgeLine(line: string, format: AsciiBadgeFormat): AsciiBadgeResult {
  const text = line.trim();
  if (text === '') return { ok: false, reason: 'empty line' };
  switch (format) {
    case 'decimal':
      return DECIMAL.test(text)
        ? { ok: true, card: text }
        : { ok: false, reason: 'not 1-20 decimal digits' };
    case 'hex':
      return HEX.test(text)
        ? { ok: true, card: text.toUpperCase() }
        : { ok: false, reason: 'not 1-16 hex digits' };
  }
}
