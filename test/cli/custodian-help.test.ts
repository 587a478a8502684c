import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { custodianCommands } from '../../src/cli/commands/custodian.js';
import { runCli } from '../support/run-cli.js';

describe('every custodian command', () => {
  it('is registered with the CLI', () => {
    for (const command of custodianCommands) expect(COMMANDS).toContain(command);
  });

  it.each(custodianCommands.map((c) => [c.path.join(' ')]))(
    '"%s --help" prints its summary and usage, exit 0',
    async (words) => {
      const result = await runCli([...words.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.out).toContain(`Usage: keywarden ${words}`);
    },
  );

  it.each(custodianCommands.map((c) => [c.path.join(' ')]))(
    '"%s" refuses an unknown option with its usage, exit 2, before opening anything',
    async (words) => {
      const result = await runCli([
        ...words.split(' '),
        '--bogus',
        '--config',
        '/nonexistent/c.json',
      ]);
      expect(result.code).toBe(2);
      expect(result.err).toContain("Unknown option '--bogus'");
      expect(result.err).toContain(`Usage: keywarden ${words}`);
    },
  );

  it('the groups are listed by keywarden --help', async () => {
    const out = (await runCli(['--help'])).out;
    for (const words of [
      'group add-member',
      'schedule add-window',
      'pin set-duress',
      'lockout clear',
      'tier set',
      'credential enrol',
      'slot list',
    ]) {
      expect(out).toContain(words);
    }
  });
});
