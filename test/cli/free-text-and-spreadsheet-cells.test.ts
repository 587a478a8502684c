import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/custodian-cabinet.js';

// Issue 9, item 5: one text rule at every entry point, nothing raw printed from the database,
// and CSV cells a spreadsheet would run as formulas guarded.

let cab: ReturnType<typeof cliCabinet>;
beforeEach(() => {
  cab = cliCabinet();
});

function writeFile(c: typeof cab, name: string, text: string): string {
  const path = join(c.dir, name);
  writeFileSync(path, text);
  return path;
}

const ok = async (...args: string[]) => {
  const result = await cab.cli(...args);
  expect(result, args.join(' ')).toMatchObject({ code: 0 });
  return result.out;
};

/** Anything a terminal would act on: C0 but the line break, DEL, C1, separators, bidi. */
const RAW = /(?!\n)[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

describe('control characters in free text are refused, naming the option', () => {
  it.each([
    [['holder', 'add', '--name', '\u001b[31mRed'], '--name contains U+001B (ESC'],
    [['holder', 'add', '--name', 'Two\nLines'], '--name contains U+000A (a line break)'],
    [['holder', 'add', '--name', 'Tab\there'], '--name contains U+0009 (a tab)'],
    [['holder', 'add', '--name', 'C1\u009b31m'], '--name contains U+009B'],
    [['holder', 'add', '--name', 'evil\u202etxt.exe'], '--name contains U+202E (a bidi control'],
    [['holder', 'add', '--name', 'iso\u2066late'], '--name contains U+2066'],
    [['group', 'add', '--name', 'G\u0007'], '--name contains U+0007'],
    [['schedule', 'add', '--name', 'S\r'], '--name contains U+000D'],
    [['key-set', 'add', '--name', 'K\u2028'], '--name contains U+2028'],
    [
      ['key', 'add', '--tag', 'A0000001', '--slot', '1', '--label', 'Store\u001b]0;x\u0007'],
      '--label contains U+001B',
    ],
    [
      ['reason-code', 'add', '12', '--description', 'fire\u0000drill'],
      '--description contains U+0000',
    ],
    [['holder', 'add', '--name', 'Ok', '--as', 'carol\u001b[2J'], '--as contains U+001B'],
  ])('%j', async (args, message) => {
    // cliPlain: the test gives its own --as.
    const result = await cab.cliPlain(
      ...(args.includes('--as') ? args : [...args, '--as', 'carol']),
    );
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(cab.rows('SELECT seq FROM events')).toEqual([]);
  });

  it('holder set refuses the same, and CSV import by the same rule', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    const set = await cab.cli('holder', 'set', '1', '--name', 'Dana\u001b[8m');
    expect(set.code).toBe(2);
    expect(set.err).toContain('--name contains U+001B');
    const csv = writeFile(
      cab,
      'h.csv',
      'hr_ref,name,enabled,valid_from,valid_until,max_keys_out\n' +
        'E-1,Ann\u202eeB,1,,,\n' +
        'E-2\u0085,Bob,1,,,\n',
    );
    const imported = await cab.cli('import', 'holders', csv);
    expect(imported.code).toBe(1);
    expect(imported.err).toContain('h.csv:2: column name contains U+202E (a bidi control');
    expect(imported.err).toContain('h.csv:3: column hr_ref contains U+0085');
    expect(cab.rows('SELECT name FROM holders')).toEqual([{ name: 'Dana' }]);
  });
});

describe('error messages that quote a bad value', () => {
  it('show its control characters escaped, from an option or a CSV cell', async () => {
    await ok('schedule', 'add', '--name', 'S');
    const day = await cab.cli('schedule', 'add-window', '1', '\u001b[2JMon', '08:00-10:00');
    expect(day.code).toBe(2);
    expect(day.err).toContain('not "\\x1b[2JMon"');
    const time = await cab.cli(
      'holder',
      'add',
      '--name',
      'X',
      '--valid-until',
      '\u001b]0;owned\u0007',
    );
    expect(time.err).toContain('"\\x1b]0;owned\\x07" is not a date and time');
    const csv = writeFile(
      cab,
      'h.csv',
      'hr_ref,name,enabled,valid_from,valid_until,max_keys_out\nE-1,Ann,\u001b[5m,,,\nE-2,Bo,1,,,\u009b1\n',
    );
    const imported = await cab.cli('import', 'holders', csv);
    expect(imported.err).toContain(
      'h.csv:2: column enabled must be 1 or 0 (or true/false, yes/no), not "\\x1b[5m"',
    );
    expect(imported.err).toContain(
      'h.csv:3: column max_keys_out must be a whole number of at least 0, not "\\x9b1"',
    );
    for (const result of [day, time, imported]) expect(result.err).not.toMatch(RAW);
  });
});

describe('printing text from the database', () => {
  it('escapes control characters that got in before the rule or from elsewhere', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok('key', 'add', '--tag', 'A0000001', '--slot', '1', '--label', 'Store B');
    // As an older version or a direct write could have left them.
    cab.write(`UPDATE holders SET name = 'Da\u001b[31mna\u202e' WHERE id = 1`);
    cab.write(`UPDATE keys SET label = 'Sto\u009bre\nB' WHERE id = 1`);
    cab.write(
      `INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq) VALUES (1, 1, 1, '2026-11-24T08:00:00.000Z', 1)`,
    );
    for (const args of [
      ['holder', 'list'],
      ['holder', 'show', '1'],
      ['holder', 'list', '--json'],
      ['key', 'out'],
      ['key', 'out', '--json'],
      ['slot', 'list'],
      ['events'],
      ['report', 'keys-out'],
      ['report', 'keys-out', '--format', 'json'],
    ]) {
      const result = await cab.cliPlain(...args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.out, args.join(' ')).not.toMatch(RAW);
    }
    expect((await cab.cliPlain('holder', 'list')).out).toContain('Da\\x1b[31mna\\u202e');
    expect((await cab.cliPlain('key', 'out')).out).toContain('Sto\\x9bre\\x0aB');
    const json = (await cab.cliPlain('holder', 'list', '--json')).out;
    expect((JSON.parse(json) as Array<{ name: string }>)[0]?.name).toBe('Da\u001b[31mna\u202e');
  });
});

describe('CSV export and spreadsheets', () => {
  const NAMES = [
    '=HYPERLINK("http://x","y")',
    '+44 team',
    '-Dash',
    '@SUM(A1)',
    "O'Brien",
    "'quoted",
    "'=quoted formula",
  ];

  async function holdersWithHrRefs() {
    const rows = NAMES.map((n, i) => `E-${i},"${n.replace(/"/g, '""')}",1,,,`).join('\n');
    const path = writeFile(
      cab,
      'h.csv',
      `hr_ref,name,enabled,valid_from,valid_until,max_keys_out\n${rows}\n`,
    );
    const result = await cab.cli('import', 'holders', path);
    expect(result.code, result.err).toBe(0);
    // The import reads '= as a guarded =: a name that really starts so is stored directly.
    cab.write(`UPDATE holders SET name = ? WHERE hr_ref = 'E-6'`, "'=quoted formula");
  }

  it("guards cells a spreadsheet would run with a leading ', and --raw-cells turns that off", async () => {
    await holdersWithHrRefs();
    const guarded = (await cab.cliPlain('export', 'holders')).out;
    expect(guarded).toContain(`E-0,"'=HYPERLINK(""http://x"",""y"")",1`);
    expect(guarded).toContain("E-1,'+44 team,1");
    expect(guarded).toContain("E-2,'-Dash,1");
    expect(guarded).toContain("E-3,'@SUM(A1),1");
    expect(guarded).toContain("E-4,O'Brien,1");
    expect(guarded).toContain("E-5,'quoted,1");
    expect(guarded).toContain("E-6,''=quoted formula,1");
    const raw = (await cab.cliPlain('export', 'holders', '--raw-cells')).out;
    expect(raw).toContain('E-0,"=HYPERLINK(""http://x"",""y"")",1');
    expect(raw).toContain('E-2,-Dash,1');
    await ok('permission', 'grant', '--holder', '1', '--slot', '1');
    const report = (await cab.cliPlain('report', 'access-matrix', '--format', 'csv')).out;
    expect(report).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(report).not.toMatch(/(^|,)"?[=+@-]/m);
  });

  it('round-trips: the guarded export imports into a fresh cabinet as the same names', async () => {
    await holdersWithHrRefs();
    expect(
      (await cab.cliPlain('export', 'holders', '--output', join(cab.dir, 'out.csv'))).code,
    ).toBe(0);
    const fresh = cliCabinet();
    const text = readFileSync(join(cab.dir, 'out.csv'), 'utf8');
    const result = await fresh.cli('import', 'holders', writeFile(fresh, 'in.csv', text));
    expect(result.code, result.err).toBe(0);
    const names = (c: typeof cab) => c.rows('SELECT hr_ref, name FROM holders ORDER BY hr_ref');
    expect(names(fresh)).toEqual(names(cab));
    expect(names(fresh).map((r) => (r as { name: string }).name)).toEqual(NAMES);
    const again = await cab.cli('import', 'holders', join(cab.dir, 'out.csv'));
    expect(again.out).toBe('imported holders: 7 rows, 0 changes written, 7 already in the records');
  });
});
