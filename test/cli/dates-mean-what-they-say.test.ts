import { beforeEach, describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/custodian-cabinet.js';

// Issue 9, item 2: Date.parse rolled 2026-02-30 over to 2 March, so a typo extended a
// contractor's access. Every option that takes a time reads it with the one strict reader.

let cab: ReturnType<typeof cliCabinet>;
beforeEach(() => {
  cab = cliCabinet();
});

const ok = async (...args: string[]) => {
  const result = await cab.cli(...args);
  expect(result, args.join(' ')).toMatchObject({ code: 0 });
  return result.out;
};

/** Exit 2, the message, and not one row or event more. */
async function refused(args: string[], message: string) {
  const before = cab.rows('SELECT seq FROM events').length;
  const result = await cab.cli(...args);
  expect(result.code, args.join(' ')).toBe(2);
  expect(result.err).toContain(message);
  expect(cab.rows('SELECT seq FROM events')).toHaveLength(before);
}

describe('impossible dates and times are refused, naming the option', () => {
  it.each([
    [
      '2026-02-30T10:00Z',
      '--valid-until: 2026-02-30 is not a date in February 2026 (it has 28 days)',
    ],
    ['2026-04-31T10:00+02:00', '--valid-until: 2026-04-31 is not a date in April 2026'],
    ['2027-02-29T10:00Z', '--valid-until: 2027-02-29 is not a date in February 2027'],
    ['2036-13-01T10:00Z', '--valid-until: 2036-13-01: month 13 is not a month'],
    ['2036-05-00T10:00Z', '--valid-until: 2036-05-00 is not a date in May 2036'],
    ['2036-05-01T24:00Z', 'hour 24 is not accepted; write 00:00 of the next day'],
    ['2036-05-01T10:60Z', 'minute 60 is not a minute'],
    ['2036-05-01T10:00:60Z', 'second 60 is not a second'],
    ['2036-05-01T10:00+25:00', 'offset +25:00 is not one any time zone has'],
    ['2036-05-01T10:00', 'has no zone: add Z for UTC or the offset'],
  ])('holder add --valid-until %s', async (value, message) => {
    await refused(['holder', 'add', '--name', 'Eve', '--valid-until', value], message);
    expect(cab.rows('SELECT id FROM holders')).toEqual([]);
  });

  it('refuses them on every command that takes a time', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok('credential', 'add', '--holder', '1', '--card', '100086F444');
    await ok('group', 'add', '--name', 'G');
    await refused(
      ['credential', 'set', '1', '--valid-until', '2026-11-31T12:00Z'],
      '--valid-until: 2026-11-31 is not a date in November 2026',
    );
    await refused(
      ['holder', 'set', '1', '--valid-from', '2026-02-29T00:00Z'],
      '--valid-from: 2026-02-29 is not a date in February 2026',
    );
    await refused(
      ['permission', 'grant', '--group', '1', '--slot', '2', '--valid-until', '2036-06-31T00:00Z'],
      '--valid-until: 2036-06-31 is not a date in June 2036',
    );
    const report = await cab.cliPlain(
      'report',
      'history',
      '--key',
      '1',
      '--from',
      '2026-09-31T00:00Z',
    );
    expect(report.code).toBe(2);
    expect(report.err).toContain('--from: 2026-09-31 is not a date in September 2026');
    expect(cab.rows('SELECT valid_from, valid_until FROM credentials')).toEqual([
      { valid_from: null, valid_until: null },
    ]);
  });

  it('stores what was written, in UTC, for a date that exists', async () => {
    await ok('holder', 'add', '--name', 'Eve', '--valid-until', '2036-02-29T10:00+01:00');
    expect(cab.rows('SELECT valid_until FROM holders')).toEqual([
      { valid_until: '2036-02-29T09:00:00.000Z' },
    ]);
  });
});

describe('a validity that has already ended', () => {
  it('is refused when adding a holder, a card or a permission', async () => {
    await refused(
      ['holder', 'add', '--name', 'Eve', '--valid-until', '2020-01-01T00:00Z'],
      '--valid-until: 2020-01-01T00:00:00.000Z has already passed',
    );
    await ok('holder', 'add', '--name', 'Dana');
    await refused(
      [
        'credential',
        'add',
        '--holder',
        '1',
        '--card',
        '100086F444',
        '--valid-until',
        '2020-01-01T00:00Z',
      ],
      'a card valid only until then could never be used',
    );
    await refused(
      ['permission', 'grant', '--holder', '1', '--slot', '2', '--valid-until', '2020-01-01T00:00Z'],
      'a permission valid only until then could never be used',
    );
    expect(cab.rows('SELECT id FROM credentials')).toEqual([]);
    expect(cab.rows('SELECT id FROM permissions')).toEqual([]);
  });

  it('may be set on purpose on an existing holder: that ends the access now', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    expect(await ok('holder', 'set', '1', '--valid-until', '2020-01-01T00:00Z')).toBe(
      'holder 1 changed',
    );
  });
});

describe('schedules read local times as strictly', () => {
  it('takes 24:00 as the end of a window only, and refuses dates and days that do not exist', async () => {
    await ok('schedule', 'add', '--name', 'Nights');
    expect(await ok('schedule', 'add-window', '1', 'Mon', '18:00-24:00')).toContain(
      'Mon 18:00-24:00',
    );
    expect(await ok('schedule', 'add-window', '1', 'tuesday', '00:00-06:00')).toContain(
      'window 2 added',
    );
    await refused(
      ['schedule', 'add-window', '1', 'Mon', '24:00-24:00'],
      'only accepted as the end of a window',
    );
    await refused(['schedule', 'add-window', '1', 'Mon', '18:00-24:30'], 'is not a time of day');
    await refused(
      ['schedule', 'add-window', '1', 'Mon', '18:60-20:00'],
      'minute 60 is not a minute',
    );
    await refused(['schedule', 'add-window', '1', 'Monkey', '08:00-10:00'], 'must be a day Mon');
    await refused(
      ['schedule', 'add-exception', '1', '2027-02-29', 'closed'],
      'date: 2027-02-29 is not a date in February 2027',
    );
    await refused(
      ['schedule', 'add-exception', '1', '2036-04-31', 'closed'],
      'not a date in April 2036',
    );
    expect(await ok('schedule', 'add-exception', '1', '2036-02-29', 'closed')).toContain(
      '2036-02-29',
    );
  });
});
