import { describe, expect, it } from 'vitest';
import {
  readCalendarDate,
  readClockTime,
  readInstant,
} from '../../../src/domain/values/instant.js';

const iso = (text: string) => {
  const r = readInstant(text);
  if (!r.ok) throw new Error(r.problem);
  return r.value.iso;
};
const problem = (text: string) => {
  const r = readInstant(text);
  return r.ok ? `accepted as ${r.value.iso}` : r.problem;
};

describe('instants', () => {
  it('reads every documented form to its canonical UTC text', () => {
    expect(iso('2026-12-31T18:00Z')).toBe('2026-12-31T18:00:00.000Z');
    expect(iso('2026-12-31T18:00+01:00')).toBe('2026-12-31T17:00:00.000Z');
    expect(iso('2026-12-31T18:00:05-03:30')).toBe('2026-12-31T21:30:05.000Z');
    expect(iso('2026-12-31T18:00:05.5Z')).toBe('2026-12-31T18:00:05.500Z');
    expect(iso('2026-12-31T18:00:05.123+05:45')).toBe('2026-12-31T12:15:05.123Z');
    expect(iso('2028-02-29T00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(iso('2000-02-29T23:59:59Z')).toBe('2000-02-29T23:59:59.000Z');
  });

  it('refuses dates that do not exist instead of rolling them over', () => {
    expect(problem('2026-02-30T10:00Z')).toBe(
      '2026-02-30 is not a date in February 2026 (it has 28 days)',
    );
    expect(problem('2026-04-31T10:00+02:00')).toBe(
      '2026-04-31 is not a date in April 2026 (it has 30 days)',
    );
    expect(problem('2026-11-31T12:00Z')).toContain('not a date in November 2026');
    expect(problem('2026-02-29T12:00Z')).toContain('not a date in February 2026');
    expect(problem('2100-02-29T12:00Z')).toContain('not a date in February 2100');
    expect(problem('2026-01-00T12:00Z')).toContain('not a date in January 2026');
    expect(problem('2026-13-01T12:00Z')).toContain('month 13 is not a month (01 to 12)');
    expect(problem('2026-00-10T12:00Z')).toContain('month 00 is not a month');
  });

  it('refuses impossible times and offsets, and says what to write instead', () => {
    expect(problem('2026-05-01T24:00Z')).toContain(
      'hour 24 is not accepted; write 00:00 of the next day',
    );
    expect(problem('2026-05-01T25:00Z')).toContain('hour 25 is not an hour');
    expect(problem('2026-05-01T10:60Z')).toContain('minute 60 is not a minute');
    expect(problem('2026-05-01T10:00:60Z')).toContain('second 60 is not a second');
    expect(problem('2026-05-01T10:00+15:00')).toContain(
      'offset +15:00 is not one any time zone has',
    );
    expect(problem('2026-05-01T10:00-13:00')).toContain('offset -13:00');
    expect(problem('2026-05-01T10:00+01:07')).toContain('offset +01:07');
    expect(problem('2026-05-01T10:00+01:60')).toContain('offset +01:60');
    expect(problem('2026-05-01T10:00-00:00')).toContain('write Z for UTC');
  });

  it('refuses a missing zone, a bare date and every other shape', () => {
    expect(problem('2026-05-01T10:00')).toContain('has no zone: add Z for UTC');
    expect(problem('2026-05-01')).toContain('a date without a time and zone');
    for (const text of [
      '',
      ' 2026-05-01T10:00Z',
      '2026-05-01T10:00Z ',
      '2026-05-01 10:00Z',
      '2026-05-01t10:00z',
      '2026-05-01T10Z',
      '2026-05-01T10:00:00.1234Z',
      '20260501T1000Z',
      '2026-W18-5T10:00Z',
      '+002026-05-01T10:00Z',
      '2026-05-01T10:00+0100',
      '2026-05-01T10:00+01',
      '1778000000000',
      'tomorrow',
      '２０２６-05-01T10:00Z',
    ]) {
      expect(problem(text), text).toContain('is not a date and time with its zone');
    }
  });

  it('keeps to 1970–9999 so that every canonical text reads back', () => {
    expect(problem('1969-12-31T23:59Z')).toContain('years before 1970');
    expect(problem('1970-01-01T00:30+01:00')).toContain('outside 1970 to 9999');
    expect(problem('9999-12-31T23:00-01:00')).toContain('outside 1970 to 9999');
    expect(iso('1970-01-01T00:00Z')).toBe('1970-01-01T00:00:00.000Z');
    expect(iso('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
  });

  it('shortens a long hostile value in its message', () => {
    expect(problem('x'.repeat(10_000)).length).toBeLessThan(200);
  });
});

describe('calendar dates and clock times (schedules)', () => {
  it('reads dates that exist and refuses those that do not', () => {
    expect(readCalendarDate('2026-12-25')).toEqual({ ok: true, value: '2026-12-25' });
    expect(readCalendarDate('2028-02-29').ok).toBe(true);
    for (const text of ['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-12-00']) {
      expect(readCalendarDate(text).ok, text).toBe(false);
    }
    expect(readCalendarDate('2026-02-30')).toEqual({
      ok: false,
      problem: '2026-02-30 is not a date in February 2026 (it has 28 days)',
    });
    for (const text of ['2026-2-3', '26-02-03', '2026-12-25T00:00Z', ' 2026-12-25', '']) {
      expect(readCalendarDate(text).ok, text).toBe(false);
    }
  });

  it('reads HH:MM, with 24:00 only as the end of a window', () => {
    expect(readClockTime('00:00')).toEqual({ ok: true, value: 0 });
    expect(readClockTime('23:59')).toEqual({ ok: true, value: 1439 });
    expect(readClockTime('24:00', true)).toEqual({ ok: true, value: 1440 });
    const startAt24 = readClockTime('24:00');
    expect(startAt24.ok === false && startAt24.problem).toContain('only accepted as the end');
    for (const text of ['24:01', '25:00', '12:60', '9:00', '09:5', '0900', '09:00:00', '']) {
      expect(readClockTime(text, true).ok, text).toBe(false);
    }
  });
});
