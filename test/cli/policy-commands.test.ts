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

describe('groups', () => {
  it('adds, renames, limits, fills and lists a group; each change is a policy.changed naming the custodian', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    expect(await ok('group', 'add', '--name', 'Night shift', '--max-loan-minutes', '120')).toBe(
      'group 1 added: Night shift',
    );
    expect(await ok('group', 'rename', '1', '--name', 'Nights')).toBe('group 1 renamed: Nights');
    expect(await ok('group', 'set', '1', '--max-loan-minutes', 'none')).toBe('group 1 changed');
    expect(await ok('group', 'add-member', '1', '1')).toBe('holder 1 is now in group 1');
    expect(await ok('group', 'add-member', '1', '1')).toBe('already a member; nothing changed');
    const list = JSON.parse((await cab.cliPlain('group', 'list', '--json')).out) as unknown;
    expect(list).toEqual([{ id: 1, name: 'Nights', maxLoanMinutes: null, members: [1] }]);

    const changes = cab
      .events()
      .filter((e) => e.type === 'policy.changed')
      .map((e) => e.data);
    expect(changes).toEqual([
      {
        actor: CAROL,
        entity: 'group',
        id: '1',
        change: 'added',
        before: null,
        after: { name: 'Night shift', maxLoanMinutes: 120 },
      },
      {
        actor: CAROL,
        entity: 'group',
        id: '1',
        change: 'updated',
        before: { name: 'Night shift' },
        after: { name: 'Nights' },
      },
      {
        actor: CAROL,
        entity: 'group',
        id: '1',
        change: 'updated',
        before: { maxLoanMinutes: 120 },
        after: { maxLoanMinutes: null },
      },
      {
        actor: CAROL,
        entity: 'group_member',
        id: '1:1',
        change: 'added',
        before: null,
        after: { groupId: 1, holderId: 1 },
      },
    ]);

    expect(await ok('group', 'remove-member', '1', '1')).toBe('holder 1 is no longer in group 1');
    expect(await ok('group', 'remove', '1')).toBe('group 1 removed');
    expect(cab.events().at(-1)?.data).toMatchObject({
      entity: 'group',
      change: 'removed',
      before: { name: 'Nights', maxLoanMinutes: null, members: [] },
      after: null,
    });
  });

  it('refuses to remove a group a grant names, and changes nothing', async () => {
    await ok('group', 'add', '--name', 'G');
    await ok('permission', 'grant', '--group', '1', '--slot', '3');
    const before = cab.events().length;
    const result = await cab.cli('group', 'remove', '1');
    expect(result).toMatchObject({ code: 1 });
    expect(result.err).toContain('group 1 is named by 1 grant(s); revoke them first');
    expect(cab.events().length).toBe(before);
  });
});

describe('key sets', () => {
  it('adds a set, puts keys in and out, lists it', async () => {
    await ok('key', 'add', '--tag', 'A0000001', '--slot', '1', '--label', 'K1');
    await ok('key', 'add', '--tag', 'A0000002', '--slot', '2', '--label', 'K2');
    expect(await ok('key-set', 'add', '--name', 'Plant room')).toBe('key set 1 added: Plant room');
    expect(await ok('key-set', 'add-key', '1', '1')).toBe('key 1 is now in key set 1');
    expect(await ok('key-set', 'add-key', '1', '2')).toBe('key 2 is now in key set 1');
    expect(await ok('key-set', 'remove-key', '1', '1')).toBe('key 1 is no longer in key set 1');
    expect(await ok('key-set', 'remove-key', '1', '1')).toBe('was not in the set; nothing changed');
    expect(JSON.parse((await cab.cliPlain('key-set', 'list', '--json')).out)).toEqual([
      { id: 1, name: 'Plant room', keys: [2] },
    ]);
    expect(cab.events().at(-1)?.data).toEqual({
      actor: CAROL,
      entity: 'key_set_member',
      id: '1:1',
      change: 'removed',
      before: { keySetId: 1, keyId: 1 },
      after: null,
    });
  });

  it('a key that does not exist is refused', async () => {
    await ok('key-set', 'add', '--name', 'S');
    const result = await cab.cli('key-set', 'add-key', '1', '9');
    expect(result).toMatchObject({ code: 1, err: 'keywarden key-set add-key: no key with id 9' });
  });
});

describe('schedules', () => {
  it('adds windows and exceptions and lists them in local time', async () => {
    expect(await ok('schedule', 'add', '--name', 'Office hours')).toBe(
      'schedule 1 added: Office hours',
    );
    await ok('schedule', 'add-window', '1', 'Mon', '08:00-18:00');
    await ok('schedule', 'add-window', '1', 'fri', '08:00-24:00');
    await ok('schedule', 'add-exception', '1', '2026-12-25', 'closed');
    expect(await ok('schedule', 'add-exception', '1', '2026-12-24', 'open', '08:00-12:00')).toBe(
      'exception 2 added to schedule 1: 2026-12-24 open 08:00-12:00',
    );
    const [schedule] = JSON.parse((await cab.cliPlain('schedule', 'list', '--json')).out) as Array<
      Record<string, unknown>
    >;
    expect(schedule).toEqual({
      id: 1,
      name: 'Office hours',
      windows: [
        { id: 1, day: 'Mon', hours: '08:00-18:00' },
        { id: 2, day: 'Fri', hours: '08:00-24:00' },
      ],
      exceptions: [
        { id: 2, date: '2026-12-24', kind: 'open', hours: '08:00-12:00' },
        { id: 1, date: '2026-12-25', kind: 'closed', hours: null },
      ],
    });
    expect(
      cab.rows('SELECT day, start_minute, end_minute FROM schedule_windows ORDER BY id'),
    ).toEqual([
      { day: 1, start_minute: 480, end_minute: 1080 },
      { day: 5, start_minute: 480, end_minute: 1440 },
    ]);
    expect((await cab.cliPlain('schedule', 'list')).out).toContain('2026-12-25 closed  all day');
    expect(cab.events().at(-1)?.data).toMatchObject({
      entity: 'schedule_exception',
      id: '1:2',
      after: { scheduleId: 1, date: '2026-12-24', kind: 'open', hours: '08:00-12:00' },
    });
  });

  it('refuses to remove a schedule a grant uses; removes it once the grant is revoked', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok('schedule', 'add', '--name', 'S');
    await ok('schedule', 'add-window', '1', 'Tue', '09:00-10:00');
    await ok('permission', 'grant', '--holder', '1', '--slot', '4', '--schedule', '1');
    expect((await cab.cli('schedule', 'remove', '1')).err).toContain('used by 1 grant(s)');
    await ok('permission', 'revoke', '--grant', '1');
    expect(await ok('schedule', 'remove', '1')).toBe('schedule 1 removed');
    expect(cab.rows('SELECT * FROM schedule_windows')).toEqual([]);
    expect(cab.events().at(-1)?.data).toMatchObject({
      entity: 'schedule',
      change: 'removed',
      before: { name: 'S', windows: [{ id: 1, day: 'Tue', hours: '09:00-10:00' }], exceptions: [] },
    });
  });
});

describe('permissions', () => {
  it('grants to a group on a key set with a schedule, validity and loan limit, lists and revokes it', async () => {
    await ok('group', 'add', '--name', 'G');
    await ok('key-set', 'add', '--name', 'S');
    await ok('schedule', 'add', '--name', 'Days');
    expect(
      await ok(
        'permission',
        'grant',
        '--group',
        '1',
        '--key-set',
        '1',
        '--schedule',
        '1',
        '--valid-from',
        '2026-01-01T00:00+01:00',
        '--valid-until',
        '2036-06-30T18:00Z',
        '--max-loan-minutes',
        '90',
      ),
    ).toBe('grant 1 added: group 1 may take key set 1');
    const after = {
      holderId: null,
      groupId: 1,
      slot: null,
      keySetId: 1,
      scheduleId: 1,
      validFrom: '2025-12-31T23:00:00.000Z',
      validUntil: '2036-06-30T18:00:00.000Z',
      maxLoanMinutes: 90,
    };
    expect(cab.events().at(-1)?.data).toEqual({
      actor: CAROL,
      entity: 'grant',
      id: '1',
      change: 'added',
      before: null,
      after,
    });
    expect(JSON.parse((await cab.cliPlain('permission', 'list', '--json')).out)).toEqual([
      { kind: 'grant', id: 1, ...after },
    ]);
    expect(await ok('permission', 'revoke', '--grant', '1')).toBe('grant 1 revoked');
    expect(cab.events().at(-1)?.data).toMatchObject({
      change: 'removed',
      before: after,
      after: null,
    });
    expect(cab.rows('SELECT * FROM policy_grants')).toEqual([]);
  });

  it('a direct permission with bounds records permission.granted, then its bounds; granting again changes them', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok('permission', 'grant', '--holder', '1', '--slot', '2', '--max-loan-minutes', '60');
    expect(
      await ok('permission', 'grant', '--holder', '1', '--slot', '2', '--max-loan-minutes', '30'),
    ).toBe('permission 1 changed: holder 1 on slot 2');
    expect(
      cab
        .events()
        .slice(1)
        .map((e) => [e.type, e.data.change ?? null]),
    ).toEqual([
      ['permission.granted', null],
      ['policy.changed', 'added'],
      ['policy.changed', 'updated'],
    ]);
    expect(cab.events().at(-1)?.data).toMatchObject({
      entity: 'permission',
      before: { maxLoanMinutes: 60 },
      after: { maxLoanMinutes: 30 },
    });
  });
});

describe('wrong arguments: exit 2, nothing changed', () => {
  it.each([
    [
      ['group', 'add', '--name', 'G', '--max-loan-minutes', '0'],
      '--max-loan-minutes must be a whole number of at least 1',
    ],
    [['group', 'set', '1'], '--max-loan-minutes is required'],
    [['group', 'add-member', '1'], 'expected <group-id> <holder-id>'],
    [['schedule', 'add-window', '1', 'Someday', '08:00-18:00'], 'day must be a day Mon'],
    [['schedule', 'add-window', '1', 'Mon', '18:00-08:00'], 'overnight access is two windows'],
    [['schedule', 'add-window', '1', 'Mon', '8-18'], 'hours: "8" is not a time HH:MM'],
    [
      ['schedule', 'add-exception', '1', '2026-02-30', 'closed'],
      'date: 2026-02-30 is not a date in February 2026 (it has 28 days)',
    ],
    [['schedule', 'add-exception', '1', '2026-12-25', 'shut'], 'kind must be one of closed, open'],
    [
      ['permission', 'grant', '--holder', '1', '--group', '1', '--slot', '1'],
      'exactly one of --holder and --group',
    ],
    [['permission', 'grant', '--holder', '1'], 'exactly one of --slot and --key-set'],
    [
      ['permission', 'grant', '--holder', '1', '--slot', '1', '--valid-until', '2026-12-31'],
      '--valid-until: "2026-12-31" is a date without a time and zone',
    ],
    [
      [
        'permission',
        'grant',
        '--holder',
        '1',
        '--slot',
        '1',
        '--valid-from',
        '2026-12-31T00:00Z',
        '--valid-until',
        '2026-01-01T00:00Z',
      ],
      'must be after --valid-from',
    ],
    [['permission', 'revoke', '--grant', '1', '--slot', '2'], 'give either --grant'],
  ])('%j', async (args, message) => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok('group', 'add', '--name', 'G');
    await ok('schedule', 'add', '--name', 'S');
    const before = cab.rows('SELECT seq FROM events').length;
    const result = await cab.cli(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain('Usage: keywarden');
    expect(cab.rows('SELECT seq FROM events').length).toBe(before);
  });
});
