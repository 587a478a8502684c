import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/cli-cabinet.js';

let cab: ReturnType<typeof cliCabinet>;
beforeEach(() => {
  cab = cliCabinet();
});

const HOLDERS =
  'hr_ref,name,enabled,valid_from,valid_until,max_keys_out\r\n' +
  'E-100,"Smith, Dana",1,2026-01-01T00:00:00Z,,2\r\n' +
  'E-101,"Jo ""JJ"" Lee",yes,,2037-06-30T17:00:00+02:00,\r\n' +
  'E-102,Ana Maria,0,,,\r\n';

const CREDENTIALS =
  'hr_ref,card,enabled,valid_from,valid_until,pin_required\n' +
  'E-100,100086f444,1,,,0\n' +
  'E-101,0000AB12CD,1,,2037-01-01T00:00:00Z,1\n';

const PERMISSIONS =
  'slot,hr_ref,valid_from,valid_until,max_loan_minutes\n' + // any column order
  '1,E-100,,,\n' +
  '2,E-100,2026-02-01T08:00:00Z,,90\n' +
  '3,E-101,,,\n';

/** Everything an import could write: a failed one must leave every count as it was. */
const footprint = () =>
  cab.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM holders) AS holders, (SELECT count(*) FROM credentials) AS credentials,
            (SELECT count(*) FROM permissions) AS permissions, (SELECT count(*) FROM events) AS events`,
  )[0];

async function importAll() {
  expect(
    (await cab.cli('import', 'holders', cab.file('h.csv', HOLDERS), '--as', 'carol')).code,
  ).toBe(0);
  expect((await cab.cli('import', 'credentials', cab.file('c.csv', CREDENTIALS))).code).toBe(0);
  expect((await cab.cli('import', 'permissions', cab.file('p.csv', PERMISSIONS))).code).toBe(0);
}

describe('keywarden import', () => {
  it('imports holders with quoted fields and a BOM, one audit event each naming the custodian', async () => {
    const file = cab.file('holders.csv', '\uFEFF' + HOLDERS);
    const result = await cab.cli('import', 'holders', file, '--as', 'carol');
    expect(result).toMatchObject({
      code: 0,
      out: 'imported holders: 3 rows, 3 changes written, 0 already in the records',
    });
    expect(
      cab.query(
        'SELECT hr_ref, name, enabled, valid_from, valid_until, max_keys_out FROM holders ORDER BY id',
      ),
    ).toEqual([
      {
        hr_ref: 'E-100',
        name: 'Smith, Dana',
        enabled: 1,
        valid_from: '2026-01-01T00:00:00.000Z',
        valid_until: null,
        max_keys_out: 2,
      },
      {
        hr_ref: 'E-101',
        name: 'Jo "JJ" Lee',
        enabled: 1,
        valid_from: null,
        valid_until: '2037-06-30T15:00:00.000Z',
        max_keys_out: null,
      },
      {
        hr_ref: 'E-102',
        name: 'Ana Maria',
        enabled: 0,
        valid_from: null,
        valid_until: null,
        max_keys_out: null,
      },
    ]);
    const events = cab.query<{ type: string; payload: string }>(
      'SELECT type, payload FROM events ORDER BY seq',
    );
    expect(events.map((e) => e.type)).toEqual(['holder.added', 'holder.added', 'holder.added']);
    expect((JSON.parse(events[0]?.payload ?? '{}') as { data: unknown }).data).toEqual({
      actor: { kind: 'custodian', account: 'carol' },
      holderId: 1,
      name: 'Smith, Dana',
    });
  });

  it('imports credentials and permissions for imported holders, masking cards in events', async () => {
    await importAll();
    expect(cab.query('SELECT holder_id, card, pin_required FROM credentials ORDER BY id')).toEqual([
      { holder_id: 1, card: '100086F444', pin_required: 0 },
      { holder_id: 2, card: '0000AB12CD', pin_required: 1 },
    ]);
    expect(
      cab.query(
        'SELECT holder_id, slot, valid_from, max_loan_minutes FROM permissions ORDER BY id',
      ),
    ).toEqual([
      { holder_id: 1, slot: 1, valid_from: null, max_loan_minutes: null },
      { holder_id: 1, slot: 2, valid_from: '2026-02-01T08:00:00.000Z', max_loan_minutes: 90 },
      { holder_id: 2, slot: 3, valid_from: null, max_loan_minutes: null },
    ]);
    const payloads = cab
      .query<{ payload: string }>("SELECT payload FROM events WHERE type = 'credential.added'")
      .map((e) => (JSON.parse(e.payload) as { data: { card: string } }).data.card);
    expect(payloads).toEqual(['…F444', '…12CD']);
    expect(cab.query("SELECT seq FROM events WHERE payload LIKE '%100086F444%'")).toEqual([]);
  });

  it('reports every bad row with its line number and imports nothing', async () => {
    await importAll();
    const before = footprint();
    const bad =
      'hr_ref,name,enabled,valid_from,valid_until,max_keys_out\n' +
      'E-200,New Person,1,,,\n' + // line 2: fine on its own
      'E-201,,1,,,\n' + // line 3: no name
      'E-202,"Two\nLines",1,,,\n' + // line 4 (spans 5): a line break in a name
      'E-203,Bad Flag,maybe,,,\n' + // line 6
      'E-204,Bare Date,1,2026-03-01,,\n' + // line 7
      'E-205,Backwards,1,2026-03-02T00:00:00Z,2026-03-01T00:00:00Z,\n' + // line 8
      'E-206,Negative,1,,,-1\n' + // line 9
      'E-200,Again,1,,,\n' + // line 10: duplicate reference
      'E-100,Dana Smith,1,2026-01-01T00:00:00Z,,2\n' + // line 11: differs from the record
      'E-207,Short Row,1\n' + // line 12
      'E-208,No Such Day,1,2026-02-30T00:00:00Z,,\n'; // line 13
    const result = await cab.cli('import', 'holders', cab.file('bad.csv', bad));
    expect(result.code).toBe(1);
    const lines = result.err.split('\n');
    expect(lines.map((l) => /bad\.csv:(\d+):/.exec(l)?.[1]).filter(Boolean)).toEqual([
      '3',
      '4',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
      '13',
    ]);
    expect(result.err).toContain('bad.csv:3: column name is empty');
    expect(result.err).toContain(
      'bad.csv:4: column name contains U+000A (a line break) at character 4',
    );
    expect(result.err).toContain('bad.csv:6: column enabled must be 1 or 0');
    expect(result.err).toContain(
      'bad.csv:7: column valid_from: "2026-03-01" is a date without a time and zone',
    );
    expect(result.err).toContain('bad.csv:8: valid_from must be before valid_until');
    expect(result.err).toContain(
      'bad.csv:9: column max_keys_out must be a whole number of at least 0',
    );
    expect(result.err).toContain('bad.csv:10: hr_ref E-200 appears twice in the file');
    expect(result.err).toContain("bad.csv:11: name differs from holder 1's record");
    expect(result.err).toContain('bad.csv:12: 3 fields, the header has 6');
    expect(result.err).toContain(
      'bad.csv:13: column valid_from: 2026-02-30 is not a date in February 2026 (it has 28 days)',
    );
    expect(lines.at(-1)).toBe(
      'nothing imported: 10 bad rows (fix them and import the whole file again)',
    );
    expect(footprint()).toEqual(before);
  });

  it('refuses bad credential and permission rows the same way, naming cards only masked', async () => {
    await importAll();
    const before = footprint();
    const cards =
      'hr_ref,card,enabled,valid_from,valid_until,pin_required\n' +
      'E-102,00ABCDEF01,1,,,0\n' + // fine
      'E-999,00ABCDEF02,1,,,0\n' + // unknown holder
      'E-101,100086F444,1,,,0\n' + // another holder's card
      'E-100,12-34,1,,,0\n' + // not hex
      'E-100,…F444,1,,,0\n' + // a masked export
      'E-100,12345,1,,,0\n'; // digits the RDM6300 of the sim profile never sends
    const c = await cab.cli('import', 'credentials', cab.file('cards.csv', cards));
    expect(c.code).toBe(1);
    expect(c.err).toContain('cards.csv:3: no holder has hr_ref E-999 (import the holders first)');
    expect(c.err).toContain('cards.csv:4: card …F444 is already enrolled to holder 1');
    expect(c.err).toContain('cards.csv:5: card …2-34 must be 1 to 20 decimal or hex digits');
    expect(c.err).toContain('cards.csv:6: card …F444 is masked: export with --with-cards');
    expect(c.err).toContain(
      "cards.csv:7: card …2345: this cabinet's badge reader (RDM6300, 125 kHz) sends exactly 10 hex digits",
    );
    expect(c.err).not.toContain('100086F444');
    const perms =
      'hr_ref,slot,valid_from,valid_until,max_loan_minutes\n' +
      'E-102,4,,,\n' +
      'E-102,13,,,\n' + // the sim cabinet has 12 slots
      'E-100,2,,,\n' + // exists with a limit of 90
      'E-102,5,,,0\n';
    const p = await cab.cli('import', 'permissions', cab.file('perms.csv', perms));
    expect(p.code).toBe(1);
    expect(p.err).toContain('perms.csv:3: no slot 13 in this cabinet');
    expect(p.err).toContain(
      'perms.csv:4: holder 1 already has slot 2 with other validity or limit',
    );
    expect(p.err).toContain(
      'perms.csv:5: column max_loan_minutes must be a whole number of at least 1',
    );
    expect(footprint()).toEqual(before);
  });

  it('reports a broken header or CSV syntax with the line, and imports nothing', async () => {
    const header = await cab.cli(
      'import',
      'holders',
      cab.file('h.csv', 'hr_ref,name,enabld,valid_from,valid_until,max_keys_out\nE-1,A,1,,,\n'),
    );
    expect(header.code).toBe(1);
    expect(header.err).toContain(
      'h.csv:1: header: unknown column "enabld"; missing column enabled',
    );
    const syntax = await cab.cli(
      'import',
      'holders',
      cab.file('s.csv', HOLDERS + 'E-9,"Open quote,1,,,\n'),
    );
    expect(syntax.code).toBe(1);
    expect(syntax.err).toContain('s.csv:5: a quoted field is never closed');
    expect(footprint()).toMatchObject({ holders: 0, events: 0 });
  });

  it('--dry-run validates and writes nothing; a second import of the same file changes nothing', async () => {
    const file = cab.file('h.csv', HOLDERS);
    expect(await cab.cli('import', 'holders', file, '--dry-run')).toMatchObject({
      code: 0,
      out: 'dry run, nothing written: 3 rows valid, 3 changes to write, 0 already in the records',
    });
    expect(footprint()).toMatchObject({ holders: 0, events: 0 });
    await cab.cli('import', 'holders', file);
    expect((await cab.cli('import', 'holders', file)).out).toBe(
      'imported holders: 3 rows, 0 changes written, 3 already in the records',
    );
    expect(footprint()).toMatchObject({ holders: 3, events: 3 });
  });

  it('disables a holder whose row says enabled 0 (a departure), with a holder.disabled event', async () => {
    await cab.cli('import', 'holders', cab.file('h.csv', HOLDERS));
    const leaver = HOLDERS.replace('E-100,"Smith, Dana",1,', 'E-100,"Smith, Dana",0,');
    expect((await cab.cli('import', 'holders', cab.file('h2.csv', leaver))).out).toBe(
      'imported holders: 3 rows, 1 changes written, 2 already in the records',
    );
    expect(cab.query("SELECT enabled FROM holders WHERE hr_ref = 'E-100'")).toEqual([
      { enabled: 0 },
    ]);
    expect(cab.query('SELECT type FROM events ORDER BY seq DESC LIMIT 1')).toEqual([
      { type: 'holder.disabled' },
    ]);
  });

  it('refuses an import once the central server manages the permissions', async () => {
    await cab.cli('holder', 'list'); // creates the database
    const db = (await import('better-sqlite3')).default(cab.database);
    db.prepare('UPDATE sync_state SET version = 3').run();
    db.close();
    const result = await cab.cli('import', 'holders', cab.file('h.csv', HOLDERS));
    expect(result.code).toBe(1);
    expect(result.err).toContain('managed by the central server (sync version 3)');
    expect(footprint()).toMatchObject({ holders: 0, events: 0 });
  });

  it('a file that is not UTF-8 is a usage error', async () => {
    const file = join(cab.dir, 'latin1.csv');
    (await import('node:fs')).writeFileSync(file, Buffer.from([0x68, 0x72, 0xe9, 0x0a]));
    const result = await cab.cli('import', 'holders', file);
    expect(result.code).toBe(2);
    expect(result.err).toContain('is not UTF-8 text');
  });
});

describe('keywarden export', () => {
  it('round-trips: what it exports imports into a fresh cabinet as the same records', async () => {
    await importAll();
    const out = (kind: string, ...more: string[]) =>
      cab.cli('export', kind, '--output', join(cab.dir, `out-${kind}.csv`), ...more);
    expect((await out('holders')).code).toBe(0);
    expect((await out('credentials', '--with-cards')).code).toBe(0);
    expect((await out('permissions')).code).toBe(0);
    expect(statSync(join(cab.dir, 'out-credentials.csv')).mode & 0o777).toBe(0o600);
    const snapshot = (c: typeof cab) => ({
      holders: c.query(
        'SELECT hr_ref, name, enabled, valid_from, valid_until, max_keys_out FROM holders ORDER BY hr_ref',
      ),
      credentials: c.query(
        'SELECT h.hr_ref, card, c.enabled, c.valid_from, c.valid_until, pin_required FROM credentials c JOIN holders h ON h.id = c.holder_id ORDER BY card',
      ),
      permissions: c.query(
        'SELECT h.hr_ref, slot, p.valid_from, p.valid_until, max_loan_minutes FROM permissions p JOIN holders h ON h.id = p.holder_id ORDER BY h.hr_ref, slot',
      ),
    });
    const fresh = cliCabinet();
    for (const kind of ['holders', 'credentials', 'permissions']) {
      const text = readFileSync(join(cab.dir, `out-${kind}.csv`), 'utf8');
      const result = await fresh.cli('import', kind, fresh.file(`${kind}.csv`, text));
      expect(result.code, result.err).toBe(0);
    }
    expect(snapshot(fresh)).toEqual(snapshot(cab));
    // And into the cabinet it came from: every row is already in the records.
    const again = await cab.cli('import', 'holders', join(cab.dir, 'out-holders.csv'));
    expect(again.out).toBe('imported holders: 3 rows, 0 changes written, 3 already in the records');
  });

  it('masks card numbers unless asked, and says which holders it left out', async () => {
    await importAll();
    await cab.cli('holder', 'add', '--name', 'No HR Link');
    const result = await cab.cli('export', 'credentials');
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      'hr_ref,card,enabled,valid_from,valid_until,pin_required\r\n' +
        'E-100,…F444,1,,,0\r\n' +
        'E-101,…12CD,1,,2037-01-01T00:00:00.000Z,1',
    );
    expect(result.err).toContain('1 holder without an HR reference left out');
    expect((await cab.cli('export', 'credentials', '--with-cards')).out).toContain(
      'E-100,100086F444,',
    );
    expect((await cab.cli('export', 'holders')).out).toContain(
      'E-100,"Smith, Dana",1,2026-01-01T00:00:00.000Z,,2',
    );
  });
});

describe('help', () => {
  it('every import, export and report command has --help with its usage', async () => {
    for (const words of [
      ['import', 'holders'],
      ['import', 'credentials'],
      ['import', 'permissions'],
      ['export', 'holders'],
      ['export', 'credentials'],
      ['report', 'keys-out'],
      ['report', 'overdue'],
      ['report', 'history'],
      ['report', 'access-matrix'],
      ['report', 'audit'],
    ]) {
      const result = await cab.cli(...words, '--help');
      expect(result.code).toBe(0);
      expect(result.out).toContain(`Usage: keywarden ${words.join(' ')}`);
    }
    expect((await cab.cli('import', 'holders', '--help')).out).toContain(
      'hr_ref,name,enabled,valid_from,valid_until,max_keys_out',
    );
  });
});
