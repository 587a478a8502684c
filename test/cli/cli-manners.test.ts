import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/cli-cabinet.js';
import { runCli } from '../support/run-cli.js';

describe('global options stand anywhere', () => {
  it('--config before the command words reads the same cabinet as after them', async () => {
    const cab = cliCabinet();
    const config = `${cab.dir}/config.json`;
    expect((await runCli(['--config', config, 'holder', 'add', '--name', 'Dana'])).code).toBe(0);
    const before = await runCli(['-c', config, 'holder', 'list']);
    const between = await runCli(['holder', `--config=${config}`, 'list']);
    const after = await runCli(['holder', 'list', '--config', config]);
    expect(before).toMatchObject({ code: 0, err: '' });
    expect(before.out).toContain('Dana');
    expect(between).toEqual(before);
    expect(after).toEqual(before);
  });

  it('--help before the command prints that command’s help', async () => {
    const result = await runCli(['--help', 'holder', 'add']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: keywarden holder add');
  });
});

describe('a command group', () => {
  it('"holder --help" lists the group’s commands, exit 0', async () => {
    const result = await runCli(['holder', '--help']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: keywarden holder <command>');
    expect(result.out).toContain('holder disable');
    expect(result.out).not.toContain('permission grant');
  });

  it('bare "holder" gives the group’s usage on stderr, exit 2', async () => {
    const result = await runCli(['holder']);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain('Usage: keywarden holder <command>');
    expect(result.err).toContain('holder show');
    expect(result.err).not.toContain('report audit');
  });

  it('"key" is its own group, apart from "key-set"', async () => {
    const result = await runCli(['key', '-h']);
    expect(result.out).toContain('key set-state');
    expect(result.out).not.toContain('key-set add');
  });
});

describe('typos get a suggestion', () => {
  it.each([
    [['holdr', 'list'], 'holder list'],
    [['holder', 'lsit'], 'holder list'],
    [['report', 'acces-matrix'], 'report access-matrix'],
    [['evnets'], 'events'],
  ])('%j → did you mean "%s"?', async (words, meant) => {
    const result = await runCli(words);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`Did you mean "${meant}"?`);
  });

  it('nothing far off is suggested', async () => {
    const result = await runCli(['xyzzy']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown command "xyzzy"');
    expect(result.err).not.toContain('Did you mean');
  });

  it('an option: --jsno → --json, --confg → --config', async () => {
    const json = await runCli(['holder', 'list', '--jsno']);
    expect(json.code).toBe(2);
    expect(json.err).toContain("Unknown option '--jsno'. Did you mean --json?");
    const config = await runCli(['holder', 'list', '--confg', 'x']);
    expect(config.err).toContain('Did you mean --config?');
  });
});

describe('numeric options', () => {
  it.each([
    [['events', '--limit', '-5'], '--limit must be a positive whole number, not "-5"'],
    [['events', '--limit', '-0.5'], '--limit must be a positive whole number'],
    [['credential', 'list', '--holder', '-1'], '--holder must be a positive whole number'],
    [
      ['permission', 'grant', '--holder', '1', '--slot', '-3'],
      '--slot must be a positive whole number',
    ],
    [['group', 'add', '--name', 'G', '--max-loan-minutes', '-10'], '--max-loan-minutes'],
    [['holder', 'show', '-3'], '"-3" is not a valid argument: ids, slots and counts are positive'],
  ])('%j is refused with the option named, exit 2', async (args, message) => {
    const cab = cliCabinet();
    const result = await cab.cli(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).not.toContain('ambiguous');
    expect(existsSync(cab.database)).toBe(false); // refused before anything was opened
  });
});
