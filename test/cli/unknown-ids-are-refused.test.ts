import { describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/cli-cabinet.js';

describe('an id that does not exist is named, exit 1, never an empty answer', () => {
  it.each([
    [['report', 'history', '--key', '999'], 'no key with id 999'],
    [['report', 'history', '--holder', '99999'], 'no holder with id 99999'],
    [['report', 'access-matrix', '--holder', '99999'], 'no holder with id 99999'],
    [['credential', 'list', '--holder', '42'], 'no holder with id 42'],
    [['group', 'remove-member', '1', '42'], 'no holder with id 42'],
    [['key-set', 'remove-key', '1', '42'], 'no key with id 42'],
    [['permission', 'revoke', '--holder', '1', '--slot', '99'], 'no slot 99 in this cabinet'],
  ])('%j → "%s"', async (args, message) => {
    const cab = cliCabinet();
    await cab.cli('holder', 'add', '--name', 'Dana');
    await cab.cli('group', 'add', '--name', 'Night shift');
    await cab.cli('key-set', 'add', '--name', 'Store keys');
    const before = cab.query('SELECT seq FROM events');
    const result = await cab.cli(...args);
    expect(result).toMatchObject({ code: 1, out: '' });
    expect(result.err).toContain(message);
    expect(cab.query('SELECT seq FROM events')).toEqual(before);
  });

  it('a known holder with no events still gets an empty report, exit 0', async () => {
    const cab = cliCabinet();
    await cab.cli('holder', 'add', '--name', 'Dana');
    const result = await cab.cli('report', 'access-matrix', '--holder', '1');
    expect(result).toMatchObject({ code: 0, out: 'holder 1 may take no key' });
  });
});
