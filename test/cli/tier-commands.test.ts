import { beforeEach, describe, expect, it } from 'vitest';
import { CAROL, cliCabinet } from '../support/custodian-cabinet.js';

let cab: ReturnType<typeof cliCabinet>;
beforeEach(() => {
  cab = cliCabinet();
});

const ok = async (...args: string[]) => {
  const result = await cab.cli(...args);
  expect(result, args.join(' ')).toMatchObject({ code: 0 });
  return result.out;
};

describe('tiers', () => {
  it('lists the starting rules of migration 006', async () => {
    const rules = JSON.parse((await cab.cliPlain('tier', 'list', '--json')).out) as unknown[];
    expect(rules).toEqual([
      {
        tier: 'grand_master',
        authorisers: 2,
        authoriserGroupId: null,
        pin: true,
        maxLoanMinutes: 60,
        reasonCode: true,
      },
      {
        tier: 'master',
        authorisers: 1,
        authoriserGroupId: null,
        pin: true,
        maxLoanMinutes: 240,
        reasonCode: true,
      },
      {
        tier: 'sub_master',
        authorisers: 0,
        authoriserGroupId: null,
        pin: true,
        maxLoanMinutes: 480,
        reasonCode: false,
      },
      {
        tier: 'change',
        authorisers: 0,
        authoriserGroupId: null,
        pin: false,
        maxLoanMinutes: null,
        reasonCode: false,
      },
    ]);
    expect((await cab.cliPlain('tier', 'list')).out).toMatch(
      /grand_master\s+2\s+-\s+yes\s+60 min\s+yes/,
    );
  });

  it('sets a tier rule and records before and after of what changed', async () => {
    await ok('group', 'add', '--name', 'Security');
    expect(
      await ok(
        'tier',
        'set',
        'master',
        '--authorisers',
        '2',
        '--authoriser-group',
        '1',
        '--max-loan-minutes',
        'none',
        '--reason-code',
        'no',
      ),
    ).toBe('tier master changed');
    expect(await ok('tier', 'set', 'master', '--authorisers', '2')).toBe(
      'tier master already so; nothing changed',
    );
    expect(cab.events().at(-1)?.data).toEqual({
      actor: CAROL,
      entity: 'tier_rule',
      id: 'master',
      change: 'updated',
      before: { authorisers: 1, authoriserGroupId: null, maxLoanMinutes: 240, reasonCode: true },
      after: { authorisers: 2, authoriserGroupId: 1, maxLoanMinutes: null, reasonCode: false },
    });
  });

  it('tier rules stay local: allowed once the central server manages the set', async () => {
    await cab.cliPlain('tier', 'list'); // creates the database
    cab.write('UPDATE sync_state SET version = 2');
    expect(await ok('tier', 'set', 'change', '--pin', 'yes')).toBe('tier change changed');
  });

  it('refuses an authoriser group with no authorisers, and a group that does not exist', async () => {
    const none = await cab.cli('tier', 'set', 'change', '--authoriser-group', '1');
    expect(none.code).toBe(1);
    expect(none.err).toContain('no group with id 1');
    await ok('group', 'add', '--name', 'G');
    const zero = await cab.cli('tier', 'set', 'change', '--authoriser-group', '1');
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('--authoriser-group needs --authorisers 1 or 2');
    expect(cab.rows('SELECT authoriser_group_id FROM tier_rules WHERE tier = ?', 'change')).toEqual(
      [{ authoriser_group_id: null }],
    );
  });
});

describe('reason codes', () => {
  it('adds, lists and removes, each audited', async () => {
    expect((await cab.cliPlain('reason-code', 'list')).out).toContain('any code of 1 to 6 digits');
    expect(await ok('reason-code', 'add', '12', '--description', 'Lock change')).toBe(
      'reason code 12 added: Lock change',
    );
    await ok('reason-code', 'add', '7', '--description', 'Emergency');
    expect(JSON.parse((await cab.cliPlain('reason-code', 'list', '--json')).out)).toEqual([
      { code: '7', description: 'Emergency' },
      { code: '12', description: 'Lock change' },
    ]);
    expect((await cab.cli('reason-code', 'add', '7', '--description', 'Again')).code).toBe(1);
    expect(await ok('reason-code', 'remove', '12')).toBe('reason code 12 removed');
    expect(cab.events().map((e) => e.data)).toEqual([
      {
        actor: CAROL,
        entity: 'reason_code',
        id: '12',
        change: 'added',
        before: null,
        after: { description: 'Lock change' },
      },
      {
        actor: CAROL,
        entity: 'reason_code',
        id: '7',
        change: 'added',
        before: null,
        after: { description: 'Emergency' },
      },
      {
        actor: CAROL,
        entity: 'reason_code',
        id: '12',
        change: 'removed',
        before: { description: 'Lock change' },
        after: null,
      },
    ]);
  });
});

describe('wrong arguments: exit 2, nothing changed', () => {
  it.each([
    [
      ['tier', 'set', 'janitor', '--pin', 'yes'],
      'tier must be one of grand_master, master, sub_master, change',
    ],
    [['tier', 'set', 'master'], 'give at least one of --authorisers'],
    [['tier', 'set', 'master', '--authorisers', '3'], '--authorisers must be one of 0, 1, 2'],
    [['tier', 'set', 'master', '--pin', 'maybe'], '--pin must be yes or no'],
    [
      ['tier', 'set', 'master', '--max-loan-minutes', '0'],
      '--max-loan-minutes must be a whole number of at least 1',
    ],
    [['reason-code', 'add', '1234567', '--description', 'x'], 'a reason code is 1 to 6 digits'],
    [['reason-code', 'add', '12'], '--description is required'],
  ])('%j', async (args, message) => {
    const result = await cab.cli(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(cab.events()).toEqual([]);
  });
});
