import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

let config: string;
let database: string;

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-cli-'));
  database = join(dir, 'cabinet.db');
  config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      cabinetId: 'cli-cab',
      profile: 'sim',
      database,
      // The Unix user running the tests is custodian carol: what --as carol says, and checks.
      custodians: { accounts: { [userInfo().username]: { account: 'carol', role: 'admin' } } },
    }),
  );
});

const cli = (...args: string[]) => runCli([...args, '--config', config]);

/** The recorded event types; none when the command never even created the database. */
function eventTypes(): string[] {
  if (!existsSync(database)) return [];
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    return (
      db.prepare('SELECT type FROM events ORDER BY seq').all() as Array<{ type: string }>
    ).map((r) => r.type);
  } finally {
    db.close();
  }
}

describe('custodian commands', () => {
  it('registers a holder, a card, a key and a permission, each recorded as an event naming the custodian', async () => {
    expect(await cli('holder', 'add', '--name', 'Dana Smith', '--as', 'carol')).toMatchObject({
      code: 0,
      out: 'holder 1 added: Dana Smith',
    });
    expect((await cli('credential', 'add', '--holder', '1', '--card', '100086f444')).out).toBe(
      'credential 1 added: card …F444 for holder 1',
    );
    expect(
      (await cli('key', 'add', '--tag', 'A000000011', '--slot', '11', '--label', 'Store B')).code,
    ).toBe(0);
    expect((await cli('permission', 'grant', '--holder', '1', '--slot', '11')).out).toBe(
      'holder 1 may now take slot 11',
    );
    const list = await cli('holder', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toEqual([
      { id: 1, name: 'Dana Smith', enabled: true, cards: 1, slots: '11' },
    ]);
    expect(eventTypes()).toEqual([
      'holder.added',
      'credential.added',
      'key.added',
      'permission.granted',
    ]);
    const events = JSON.parse((await cli('events', '--json')).out) as Array<{
      data: { actor?: { account: string } };
    }>;
    expect(events[0]?.data.actor).toEqual({ kind: 'custodian', account: 'carol' });
  });

  it('revokes and disables, and says so when there was nothing to change', async () => {
    await cli('holder', 'add', '--name', 'Dana');
    await cli('permission', 'grant', '--holder', '1', '--slot', '2');
    expect((await cli('permission', 'revoke', '--holder', '1', '--slot', '2')).out).toBe(
      'holder 1 may no longer take slot 2',
    );
    expect((await cli('permission', 'revoke', '--holder', '1', '--slot', '2')).out).toBe(
      'was not permitted; nothing changed',
    );
    expect((await cli('holder', 'disable', '1')).out).toBe('holder 1 disabled');
    expect((await cli('holder', 'disable', '1')).out).toBe(
      'holder 1 was already disabled; nothing changed',
    );
    expect(eventTypes()).toEqual([
      'holder.added',
      'permission.granted',
      'permission.revoked',
      'holder.disabled',
    ]);
  });

  it('shows which keys are out', async () => {
    expect(await cli('key', 'out')).toMatchObject({ code: 0, out: 'every key is in the cabinet' });
    expect(await cli('key', 'out', '--json')).toMatchObject({ code: 0, out: '[]' });
  });
});

describe('wrong arguments', () => {
  it.each([
    [['holder', 'add'], '--name is required'],
    [['holder', 'add', '--name', 'X', '--nmae', 'Y'], "Unknown option '--nmae'"],
    [['holder', 'disable', 'abc'], 'holder-id must be a positive whole number, not "abc"'],
    [['holder', 'disable'], 'expected <holder-id>'],
    [
      ['permission', 'grant', '--holder', '1', '--slot', '0'],
      '--slot must be a positive whole number',
    ],
    [['key', 'add', '--tag', 'A1', '--slot', '3'], '--label is required'],
    [['holder', 'list', 'extra'], 'unexpected argument "extra"'],
  ])('%j gives a usage message, exit 2, and changes nothing', async (args, message) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain('Usage: keywarden');
    expect(eventTypes()).toEqual([]);
  });

  it('an unknown command lists the commands', async () => {
    const result = await cli('holdr', 'add');
    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown command "holdr add"');
    expect(result.err).toContain('holder add');
  });

  it('a refused change (no such holder) exits 1 with the reason and records nothing', async () => {
    const result = await cli('credential', 'add', '--holder', '7', '--card', '100086F444');
    expect(result).toMatchObject({ code: 1, err: 'keywarden credential add: no holder with id 7' });
    expect(eventTypes()).toEqual([]);
  });

  it('a broken config file exits 78 naming the file and the key', async () => {
    writeFileSync(config, JSON.stringify({ version: 1, cabinetId: 'bad id!' }));
    const result = await cli('holder', 'list');
    expect(result.code).toBe(78);
    expect(result.err).toContain(`${config}: cabinetId`);
  });
});

describe('help', () => {
  it('every command has --help with its usage', async () => {
    for (const words of [
      ['run'],
      ['holder', 'add'],
      ['key', 'out'],
      ['events'],
      ['outputs-off'],
      ['sim', 'badge'],
    ]) {
      const result = await runCli([...words, '--help']);
      expect(result.code).toBe(0);
      expect(result.out).toContain(`Usage: keywarden ${words.join(' ')}`);
    }
  });

  it('keywarden --help and a group name list the commands', async () => {
    expect((await runCli(['--help'])).out).toContain('permission grant');
    const group = await runCli(['holder', '--help']);
    expect(group.out).toContain('holder disable');
    expect(group.out).not.toContain('permission grant');
  });
});
