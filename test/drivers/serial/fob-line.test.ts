import { describe, expect, it } from 'vitest';
import { formatFobLine, parseFobLine } from '../../../drivers/serial/fob-line.js';

describe('parseFobLine', () => {
  it.each([
    ['S03:100086F444', 3, '100086F444'],
    ['S3:100086f444', 3, '100086F444'],
    [' S012:ABCD\t', 12, 'ABCD'],
    ['S24:0123456789ABCDEF0123456789ABCDEF', 24, '0123456789ABCDEF0123456789ABCDEF'],
  ])('reads a fob in a slot: %j', (line, slot, tag) => {
    expect(parseFobLine(line, 24)).toEqual({ ok: true, slot, tag });
  });

  it('reads an empty slot', () => {
    expect(parseFobLine('S03:-', 24)).toEqual({ ok: true, slot: 3, tag: null });
  });

  it.each([
    ['S00:-', 'slot 0 out of range 1-24'],
    ['S25:-', 'slot 25 out of range 1-24'],
    ['S999:ABCD', 'slot 999 out of range 1-24'],
  ])('rejects slot out of range: %j', (line, reason) => {
    expect(parseFobLine(line, 24)).toEqual({ ok: false, reason });
  });

  it.each([
    'S03:ABC', // tag too short
    'S03:0123456789ABCDEF0123456789ABCDEF0', // tag too long
    'S03:XYZW',
    'S03:',
    'S1000:ABCD',
    'S:ABCD',
    's03:ABCD',
    'S03 ABCD',
    'S03:-ABCD',
    '',
  ])('rejects malformed %j', (line) => {
    expect(parseFobLine(line, 24).ok).toBe(false);
  });
});

describe('formatFobLine', () => {
  it.each([
    [3, '100086f444', 'S03:100086F444'],
    [3, null, 'S03:-'],
    [12, 'ABCD', 'S12:ABCD'],
    [120, null, 'S120:-'],
  ])('formats slot %i tag %j as %s', (slot, tag, line) => {
    expect(formatFobLine(slot, tag)).toBe(line);
  });

  it('round-trips through parseFobLine', () => {
    expect(parseFobLine(formatFobLine(7, 'BEEF'), 8)).toEqual({ ok: true, slot: 7, tag: 'BEEF' });
  });

  it.each([
    [0, null],
    [1.5, null],
    [1000, null],
    [1, 'XYZW'],
    [1, 'ABC'],
  ])('refuses slot %j tag %j', (slot, tag) => {
    expect(() => formatFobLine(slot, tag)).toThrow(RangeError);
  });
});
