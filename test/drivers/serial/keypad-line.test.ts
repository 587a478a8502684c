import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKeypadLine, parseKeypadLine } from '../../../drivers/serial/keypad-line.js';

describe('parseKeypadLine', () => {
  it('reads a PIN ended by #', () => {
    expect(parseKeypadLine('K1234#')).toEqual({ ok: true, entry: { kind: 'pin', digits: '1234' } });
    expect(parseKeypadLine('  K000000000000#\r')).toEqual({
      ok: true,
      entry: { kind: 'pin', digits: '000000000000' },
    });
  });

  it('reads the clear key', () => {
    expect(parseKeypadLine('K*')).toEqual({ ok: true, entry: { kind: 'cancel' } });
  });

  it.each(['K#', 'K1234', 'K12a4#', 'K1234567890123#', 'k1234#', 'K12#34#', '1234#', ''])(
    'refuses %j',
    (line) => {
      expect(parseKeypadLine(line).ok).toBe(false);
    },
  );

  it('never repeats the digits of a refused line', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{4,20}$/), (digits) => {
        const result = parseKeypadLine(`K${digits}`); // no #: refused
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).not.toContain(digits);
      }),
    );
  });

  it('tells keypad lines from card numbers of either ASCII format', () => {
    expect(isKeypadLine('K1234#')).toBe(true);
    expect(isKeypadLine('0008844356')).toBe(false);
    expect(isKeypadLine('100086F444')).toBe(false);
  });
});
