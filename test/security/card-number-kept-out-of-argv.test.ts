import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SecretInput } from '../../src/cli/read-secret.js';
import { cliCabinet } from '../support/custodian-cabinet.js';
import { runCli } from '../support/run-cli.js';

/**
 * `credential add --card <number>` put the number into argv, where every local user sees it in
 * `ps` and sudo's journal keeps it. The number can now be typed without echo or piped, so a
 * custodian never has to put it on the command line.
 */
const CARD = '100086F444';
const piped = (text: string) => Readable.from([text]) as unknown as SecretInput;

describe('credential add reads the card number from standard input', () => {
  for (const cardArgs of [['--card', '-'], []]) {
    it(`with ${cardArgs.length ? '--card -' : 'no --card'}: enrolled, and the number is in no argument`, async () => {
      const cab = cliCabinet();
      await cab.cli('holder', 'add', '--name', 'Dana');
      const argv = ['credential', 'add', '--holder', '1', ...cardArgs, '--config', cab.config];

      const result = await runCli(argv, piped(`${CARD}\n`));

      expect(result.code, result.err).toBe(0);
      expect(result.out).toBe('credential 1 added: card …F444 for holder 1');
      expect(argv.join(' ')).not.toContain(CARD);
      expect(cab.rows<{ card: string }>('SELECT card FROM credentials')).toEqual([{ card: CARD }]);
    });
  }

  it('an empty pipe adds nothing and says what was missing', async () => {
    const cab = cliCabinet();
    await cab.cli('holder', 'add', '--name', 'Dana');
    const result = await runCli(
      ['credential', 'add', '--holder', '1', '--card', '-', '--config', cab.config],
      piped(''),
    );
    expect(result.code).toBe(2);
    expect(result.err).toContain('no card number on standard input');
    expect(cab.rows('SELECT card FROM credentials')).toEqual([]);
  });

  it('a number read this way is checked against the badge reader like one given in argv', async () => {
    const cab = cliCabinet();
    await cab.cli('holder', 'add', '--name', 'Dana');
    const result = await runCli(
      ['credential', 'add', '--holder', '1', '--card', '-', '--config', cab.config],
      piped('XYZ\n'),
    );
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('sends exactly 10 hex digits');
  });
});
