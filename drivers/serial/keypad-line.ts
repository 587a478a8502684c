/**
 * Keypad entries on the badge reader's serial line. Readers with a keypad (and Wiegand-to-RS-232
 * converters with one) send the keys on the same line as the card numbers; this format is the
 * one Keywarden expects, and a converter must be configured to send it:
 *
 *   K<digits>#   a PIN: 1–12 digits, ended by the # (enter) key   e.g. "K1234#"
 *   K*           the * (clear) key: the entry so far is abandoned  e.g. "K*"
 *
 * One entry per line (CR, LF or CR LF; LineReader's job), surrounding whitespace ignored. The
 * leading `K` tells an entry from a card number, which never starts with one in either ASCII
 * format (decimal, or hex digits A–F). The digits are a secret: a rejected line's reason never
 * repeats them, so it can be logged.
 */
export type KeypadEntry = { kind: 'pin'; digits: string } | { kind: 'cancel' };

export type KeypadLine = { ok: true; entry: KeypadEntry } | { ok: false; reason: string };

const PIN = /^K([0-9]{1,12})#$/;

/** True when a line is meant for the keypad parser rather than the card parser. */
export function isKeypadLine(line: string): boolean {
  return line.trim().startsWith('K');
}

export function parseKeypadLine(line: string): KeypadLine {
  const text = line.trim();
  if (!text.startsWith('K')) return { ok: false, reason: 'not a keypad line (no leading K)' };
  if (text === 'K*') return { ok: true, entry: { kind: 'cancel' } };
  const match = PIN.exec(text);
  if (match?.[1] === undefined) {
    return { ok: false, reason: `not K, 1-12 digits and # (${text.length} characters)` };
  }
  return { ok: true, entry: { kind: 'pin', digits: match[1] } };
}
