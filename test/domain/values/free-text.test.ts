import { describe, expect, it } from 'vitest';
import { freeTextProblem, printable, printableJson } from '../../../src/domain/values/free-text.js';

describe('the free-text rule', () => {
  it('accepts names in any script, with the marks right-to-left names need', () => {
    for (const name of [
      'Eve Contractor',
      'Zoë O’Brien-Łukasz',
      '李小龍',
      'שרה\u200f כהן',
      '🔑 Store B',
    ]) {
      expect(freeTextProblem(name, 200), name).toBeUndefined();
    }
  });

  it('refuses control characters, separators and bidi controls, naming the character', () => {
    expect(freeTextProblem('\x1b[31m', 200)).toBe(
      'contains U+001B (ESC, which starts terminal escape sequences) at character 1; text may not hold control characters, line breaks, tabs or bidi controls',
    );
    expect(freeTextProblem('Bob\nSmith', 200)).toContain('U+000A (a line break) at character 4');
    expect(freeTextProblem('Bob\tSmith', 200)).toContain('U+0009 (a tab)');
    expect(freeTextProblem('Bob\rSmith', 200)).toContain('U+000D');
    expect(freeTextProblem('a\u0000', 200)).toContain('U+0000 (NUL)');
    expect(freeTextProblem('a\u007f', 200)).toContain('U+007F (DEL)');
    expect(freeTextProblem('a\u009b31m', 200)).toContain('U+009B (a control character)');
    expect(freeTextProblem('a\u2028b', 200)).toContain('U+2028 (a line separator)');
    expect(freeTextProblem('a\u2029b', 200)).toContain('U+2029');
    for (const unit of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      expect(freeTextProblem(`exe.${String.fromCharCode(unit)}txt`, 200)).toContain('bidi control');
    }
    expect(freeTextProblem('a\ud800b', 200)).toContain('unpaired surrogate');
    expect(freeTextProblem('a\udc00', 200)).toContain('unpaired surrogate');
  });

  it('refuses blank and overlong text', () => {
    expect(freeTextProblem('   ', 200)).toBe('is empty');
    expect(freeTextProblem('x'.repeat(201), 200)).toBe('is longer than 200 characters');
    expect(freeTextProblem(`  ${'x'.repeat(200)}  `, 200)).toBeUndefined();
  });
});

describe('printing stored text', () => {
  it('escapes every forbidden character and leaves the rest alone', () => {
    expect(printable('\x1b[31mred\x1b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(printable('a\nb\tc\u009b')).toBe('a\\x0ab\\x09c\\x9b');
    expect(printable('evil\u202etxt.exe')).toBe('evil\\u202etxt.exe');
    expect(printable('Zoë 李 🔑')).toBe('Zoë 李 🔑');
  });

  it('gives JSON that parses to the same value with nothing raw in it', () => {
    const value = { name: 'a\x1b\u0085\u2028\u202e\u2069b' };
    const json = printableJson(value);
    for (const raw of ['\x1b', '\u0085', '\u2028', '\u202e', '\u2069'])
      expect(json).not.toContain(raw);
    expect(JSON.parse(json)).toEqual(value);
  });
});
