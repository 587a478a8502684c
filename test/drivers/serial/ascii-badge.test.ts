import { describe, expect, it } from 'vitest';
import { parseAsciiBadgeLine } from '../../../drivers/serial/ascii-badge.js';

describe('parseAsciiBadgeLine', () => {
  it.each([
    ['0008844356', '0008844356'],
    ['  42 ', '42'],
    ['1', '1'],
    ['12345678901234567890', '12345678901234567890'],
  ])('decimal %j → %s, kept as sent', (line, card) => {
    expect(parseAsciiBadgeLine(line, 'decimal')).toEqual({ ok: true, card });
  });

  it.each([
    ['100086f444', '100086F444'],
    ['\tA1B2C3 ', 'A1B2C3'],
    ['0123456789abcdef', '0123456789ABCDEF'],
  ])('hex %j → %s, upper-cased', (line, card) => {
    expect(parseAsciiBadgeLine(line, 'hex')).toEqual({ ok: true, card });
  });

  it.each([
    ['', 'decimal'],
    ['   ', 'hex'],
    ['123456789012345678901', 'decimal'],
    ['12a4', 'decimal'],
    ['-12', 'decimal'],
    ['12 34', 'decimal'],
    ['0123456789abcdef0', 'hex'],
    ['12G4', 'hex'],
    ['0x12', 'hex'],
  ] as const)('rejects %j as %s', (line, format) => {
    const result = parseAsciiBadgeLine(line, format);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).not.toBe('');
  });
});
