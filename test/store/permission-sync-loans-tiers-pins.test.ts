import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIER_RULES } from '../../src/domain/key-tiers.js';
import { MIN_SYNCED_SCRYPT_N } from '../../src/domain/policy/loan-tier-pin-checks.js';
import type { PermissionSet } from '../../src/domain/permission-set.js';
import type { Database } from '../../src/store/database.js';
import { applyPermissionSync } from '../../src/store/permission-sync.js';
import { checkPin, hashPin } from '../../src/store/pin-hash.js';
import { SqliteDirectory } from '../../src/store/sqlite-directory.js';
import { useTempDb } from '../support/temp-db.js';
import { ALICE_CARD, baseSet, dumpTables, edit, SLOTS } from './permission-sync-fixtures.js';

const temp = useTempDb();
const options = { slotCount: SLOTS, now: () => new Date('2026-11-24T09:00:00Z') };

// Real hashes from the cabinet's own hasher, at the least cost a sync accepts.
const CHEAP = { N: MIN_SYNCED_SCRYPT_N, r: 8, p: 1 };
let PIN = '';
let DURESS = '';
beforeAll(async () => {
  [PIN, DURESS] = await Promise.all([hashPin('2468', CHEAP), hashPin('8642', CHEAP)]);
});

/**
 * baseSet with every field and section migration 006 added: Alice may have 2 keys out, her
 * card needs a PIN and has a duress PIN; key 21 is a master key due within 120 minutes or by
 * 18:00 and may go back to any slot; group Night (7) limits loans to 90 minutes and
 * authorises master keys; two reason codes.
 */
function loadedSet(version: number): PermissionSet {
  return edit(baseSet(), version, (s) => {
    s.holders[0]!.maxKeysOut = 2;
    s.holders[1]!.maxKeysOut = 0;
    s.credentials[0]!.pinRequired = true;
    s.credentials[0]!.pinHash = PIN;
    s.credentials[0]!.duressPinHash = DURESS;
    s.credentials[1]!.pinHash = PIN;
    Object.assign(s.keys[0]!, {
      tier: 'master',
      maxLoanMinutes: 120,
      curfewMinute: 1080,
      returnPolicy: 'any',
    });
    s.keys[1]!.tier = 'grand_master';
    s.permissions[0]!.maxLoanMinutes = 45;
    s.accessGroups = [{ id: 7, name: 'Night', maxLoanMinutes: 90 }];
    s.groupMembers = [{ holderId: 1, groupId: 7 }];
    s.grants = [{ id: 100, groupId: 7, slot: 3, maxLoanMinutes: 30 }];
    s.tierRules = [
      { tier: 'grand_master', authorisers: 2, authoriserGroupId: 7, pin: true, reasonCode: true },
      {
        tier: 'master',
        authorisers: 1,
        authoriserGroupId: 7,
        pin: true,
        maxLoanMinutes: 240,
        reasonCode: false,
      },
    ];
    s.reasonCodes = [
      { code: '1', description: 'Maintenance' },
      { code: '042', description: 'Fire drill' },
    ];
  });
}

const EXTRA_TABLES = ['tier_rules', 'reason_codes', 'access_groups', 'policy_grants'];

function everything(db: Database): Record<string, unknown[]> {
  const extra = EXTRA_TABLES.map((t): [string, unknown[]] => [
    t,
    db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all(),
  ]);
  return { ...dumpTables(db), ...Object.fromEntries(extra) };
}

const NONE = { added: 0, changed: 0, removed: 0 };

describe('the sync carries loan limits, tiers, PINs and reason codes', () => {
  it('a full set with every new field reaches what the daemon reads', async () => {
    const { db } = temp.open();
    const result = applyPermissionSync(db, loadedSet(1), options);
    expect(result).toMatchObject({
      ok: true,
      // The seeded rules of grand_master and master change, those of sub_master and change
      // go: a section sent replaces the rows in force.
      counts: { tierRules: { added: 0, changed: 2, removed: 2 }, reasonCodes: { added: 2 } },
    });
    const directory = new SqliteDirectory(db);
    expect(directory.keyByTag('A0000001')).toMatchObject({
      tier: 'master',
      maxLoanMinutes: 120,
      curfewMinute: 1080,
      returnPolicy: 'any',
    });
    expect(directory.keyByTag('A0000003')).toMatchObject({
      tier: null,
      maxLoanMinutes: null,
      curfewMinute: null,
      returnPolicy: 'home',
    });
    expect(directory.credentialByCard(ALICE_CARD)).toMatchObject({
      pinRequired: true,
      hasPin: true,
    });
    expect(directory.credentialByCard('0008844356')).toMatchObject({
      pinRequired: false,
      hasPin: true,
    });
    expect(directory.credentialByCard('ABCDEF')).toMatchObject({
      pinRequired: false,
      hasPin: false,
    });
    expect(directory.holder(1)?.maxKeysOut).toBe(2);
    expect(directory.holder(2)?.maxKeysOut).toBe(0);
    expect(directory.holder(3)?.maxKeysOut).toBeNull();
    expect(directory.permissionsOf(1)).toMatchObject([
      { slot: 1, maxLoanMinutes: 45 },
      { slot: 2, maxLoanMinutes: null },
    ]);
    expect(directory.groupLoanLimits(1)).toEqual([90]);
    expect(directory.grantsOf(1)).toMatchObject([{ id: 100, maxLoanMinutes: 30 }]);
    expect(directory.tierRules()).toEqual({
      grand_master: { authorisers: 2, authoriserGroupId: 7, pin: true, reasonCode: true },
      master: {
        authorisers: 1,
        authoriserGroupId: 7,
        pin: true,
        maxLoanMinutes: 240,
        reasonCode: false,
      },
      sub_master: { authorisers: 0, pin: false, reasonCode: false },
      change: { authorisers: 0, pin: false, reasonCode: false },
      none: { authorisers: 0, pin: false, reasonCode: false },
    });
    expect(directory.reasonCodeAccepted('042')).toBe(true);
    expect(directory.reasonCodeAccepted('42')).toBe(false);
    // The hashes arrive intact: the PIN and the duress PIN are told apart at the cabinet.
    const { pin_hash, duress_pin_hash } = db
      .prepare('SELECT pin_hash, duress_pin_hash FROM credentials WHERE id = 11')
      .get() as { pin_hash: string; duress_pin_hash: string };
    expect(await checkPin('2468', { pin: pin_hash, duress: duress_pin_hash })).toBe('ok');
    expect(await checkPin('8642', { pin: pin_hash, duress: duress_pin_hash })).toBe('duress');
  });

  it('the same set again changes nothing: what is stored reads back as what was sent', () => {
    const { db } = temp.open();
    applyPermissionSync(db, loadedSet(1), options);
    const again = applyPermissionSync(db, loadedSet(2), options);
    expect(again.ok && Object.values(again.counts)).toEqual(Array(14).fill(NONE));
  });

  it('a delta changes the new fields and rows', () => {
    const { db } = temp.open();
    applyPermissionSync(db, loadedSet(1), options);
    const key = { ...loadedSet(1).keys[0]!, tier: 'change', curfewMinute: null } as const;
    const result = applyPermissionSync(
      db,
      {
        version: 2,
        baseVersion: 1,
        upsert: {
          holders: [{ id: 1, name: 'Alice', enabled: true, maxKeysOut: 5 }],
          credentials: [{ id: 11, holderId: 1, card: ALICE_CARD, enabled: true }],
          keys: [{ ...key, returnPolicy: 'home', maxLoanMinutes: 15 }],
          accessGroups: [{ id: 7, name: 'Night' }],
          tierRules: [{ tier: 'change', authorisers: 0, pin: true, reasonCode: true }],
          reasonCodes: [{ code: '1', description: 'Planned maintenance' }],
        },
        remove: { tierRules: ['master'], reasonCodes: ['042'] },
      },
      options,
    );
    expect(result).toMatchObject({
      ok: true,
      counts: {
        holders: { changed: 1 },
        credentials: { changed: 1 },
        keys: { changed: 1 },
        accessGroups: { changed: 1 },
        tierRules: { added: 1, changed: 0, removed: 1 },
        reasonCodes: { added: 0, changed: 1, removed: 1 },
      },
    });
    const directory = new SqliteDirectory(db);
    expect(directory.holder(1)?.maxKeysOut).toBe(5);
    expect(directory.credentialByCard(ALICE_CARD)).toMatchObject({
      pinRequired: false,
      hasPin: false,
    });
    expect(directory.keyByTag('A0000001')).toMatchObject({
      tier: 'change',
      maxLoanMinutes: 15,
      curfewMinute: null,
      returnPolicy: 'home',
    });
    expect(directory.groupLoanLimits(1)).toEqual([]);
    expect(directory.tierRules()).toMatchObject({
      grand_master: { authorisers: 2 },
      master: { authorisers: 0, pin: false, reasonCode: false },
      change: { authorisers: 0, pin: true, reasonCode: true },
    });
    expect(directory.reasonCodeAccepted('042')).toBe(false);
    expect(db.prepare("SELECT description FROM reason_codes WHERE code = '1'").pluck().get()).toBe(
      'Planned maintenance',
    );
  });
});

describe('an older server, which sends none of it', () => {
  it('still sends a valid set, and a new cabinet keeps its defaults and seeded tier rules', () => {
    const { db } = temp.open();
    expect(applyPermissionSync(db, baseSet(1), options)).toMatchObject({
      ok: true,
      counts: { tierRules: NONE, reasonCodes: NONE },
    });
    const directory = new SqliteDirectory(db);
    expect(directory.keyByTag('A0000001')).toMatchObject({
      tier: null,
      maxLoanMinutes: null,
      curfewMinute: null,
      returnPolicy: 'home',
    });
    expect(directory.credentialByCard(ALICE_CARD)).toMatchObject({
      pinRequired: false,
      hasPin: false,
    });
    expect(directory.holder(1)?.maxKeysOut).toBeNull();
    expect(directory.tierRules()).toEqual(DEFAULT_TIER_RULES);
    expect(directory.reasonCodeAccepted('777')).toBe(true);
  });

  it('after a newer one: the fields go back to their defaults, the kept sections stay', () => {
    const { db } = temp.open();
    applyPermissionSync(db, loadedSet(1), options);
    const tiers = db.prepare('SELECT * FROM tier_rules ORDER BY tier').all();
    const codes = db.prepare('SELECT * FROM reason_codes ORDER BY code').all();
    // The older server's set names group 7 (it knows groups), without a loan limit.
    const older = edit(baseSet(), 2, (s) => {
      s.accessGroups = [{ id: 7, name: 'Night' }];
    });
    expect(applyPermissionSync(db, older, options)).toMatchObject({
      ok: true,
      counts: { tierRules: NONE, reasonCodes: NONE, keys: { changed: 2 } },
    });
    const directory = new SqliteDirectory(db);
    expect(directory.keyByTag('A0000001')).toMatchObject({ tier: null, returnPolicy: 'home' });
    expect(directory.credentialByCard(ALICE_CARD)).toMatchObject({ hasPin: false });
    expect(directory.holder(1)?.maxKeysOut).toBeNull();
    expect(db.prepare('SELECT * FROM tier_rules ORDER BY tier').all()).toEqual(tiers);
    expect(db.prepare('SELECT * FROM reason_codes ORDER BY code').all()).toEqual(codes);
  });

  it('refuses a full set that drops a group a kept tier rule names, at the rule', () => {
    const { db } = temp.open();
    applyPermissionSync(db, loadedSet(1), options);
    const before = everything(db);
    const result = applyPermissionSync(db, baseSet(2), options);
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    expect(!result.ok && result.problems).toEqual([
      'current.tierRules[tier=grand_master].authoriserGroupId: access group 7 is not in the set',
      'current.tierRules[tier=master].authoriserGroupId: access group 7 is not in the set',
    ]);
    expect(everything(db)).toEqual(before);
  });

  it('an empty tierRules list is sent on purpose: it leaves every tier without a rule', () => {
    const { db } = temp.open();
    const result = applyPermissionSync(db, { ...baseSet(1), tierRules: [] }, options);
    expect(result).toMatchObject({ ok: true, counts: { tierRules: { removed: 4 } } });
    expect(new SqliteDirectory(db).tierRules().grand_master).toEqual({
      authorisers: 0,
      pin: false,
      reasonCode: false,
    });
  });
});

describe('bad values of the new fields', () => {
  const salt = Buffer.alloc(16, 1).toString('base64');
  const hash32 = Buffer.alloc(32, 2).toString('base64');
  const cases: Array<[string, (s: PermissionSet) => void, string]> = [
    [
      'maxKeysOut',
      (s) => void (s.holders[0]!.maxKeysOut = -1),
      'holders[0].maxKeysOut: must be a whole number 0 or more, or null',
    ],
    [
      'maxKeysOut',
      (s) => void (s.holders[0]!.maxKeysOut = 1.5),
      'holders[0].maxKeysOut: must be a whole number 0 or more, or null',
    ],
    [
      'pinRequired',
      (s) => void ((s.credentials[0] as { pinRequired: unknown }).pinRequired = 1),
      'credentials[0].pinRequired: must be true or false',
    ],
    [
      'tier',
      (s) => void ((s.keys[0] as { tier: unknown }).tier = 'janitor'),
      'keys[0].tier: must be one of grand_master, master, sub_master, change',
    ],
    [
      'maxLoanMinutes',
      (s) => void (s.keys[0]!.maxLoanMinutes = 0),
      'keys[0].maxLoanMinutes: must be a whole number of minutes above 0, or null',
    ],
    [
      'curfewMinute',
      (s) => void (s.keys[1]!.curfewMinute = 1440),
      'keys[1].curfewMinute: must be a minute of the day 0 to 1439, or null',
    ],
    [
      'curfewMinute',
      (s) => void (s.keys[1]!.curfewMinute = -1),
      'keys[1].curfewMinute: must be a minute of the day 0 to 1439, or null',
    ],
    [
      'returnPolicy',
      (s) => void ((s.keys[2] as { returnPolicy: unknown }).returnPolicy = null),
      'keys[2].returnPolicy: must be one of home, any',
    ],
    [
      'permission limit',
      (s) => void (s.permissions[2]!.maxLoanMinutes = -5),
      'permissions[2].maxLoanMinutes: must be a whole number of minutes above 0, or null',
    ],
    [
      'grant limit',
      (s) => void (s.grants = [{ id: 9, holderId: 1, slot: 1, maxLoanMinutes: 0.5 }]),
      'grants[0].maxLoanMinutes: must be a whole number of minutes above 0, or null',
    ],
    [
      'group limit',
      (s) => void s.accessGroups.push({ id: 8, name: 'Day', maxLoanMinutes: 0 }),
      'accessGroups[1].maxLoanMinutes: must be a whole number of minutes above 0, or null',
    ],
    [
      'tier rule authorisers',
      (s) =>
        void (s.tierRules = [
          { tier: 'master', authorisers: 3 as 2, pin: true, reasonCode: false },
        ]),
      'tierRules[0].authorisers: must be 0, 1 or 2',
    ],
    [
      'tier rule tier',
      (s) =>
        void (s.tierRules = [
          { tier: 'none' as 'master', authorisers: 0, pin: true, reasonCode: false },
        ]),
      'tierRules[0].tier: must be one of grand_master, master, sub_master, change',
    ],
    [
      'tier rule group',
      (s) =>
        void (s.tierRules = [
          { tier: 'master', authorisers: 1, authoriserGroupId: 99, pin: true, reasonCode: false },
        ]),
      'tierRules[0].authoriserGroupId: access group 99 is not in the set',
    ],
    [
      'tier rule twice',
      (s) =>
        void (s.tierRules = [
          { tier: 'change', authorisers: 0, pin: false, reasonCode: false },
          { tier: 'change', authorisers: 1, pin: false, reasonCode: false },
        ]),
      'tierRules[1].tier: the rule of tier change appears more than once (also tierRules[0])',
    ],
    [
      'tier rule missing field',
      (s) => void (s.tierRules = [{ tier: 'change', authorisers: 0, pin: false } as never]),
      'tierRules[0].reasonCode: is missing',
    ],
    [
      'reason code',
      (s) => void (s.reasonCodes = [{ code: '1234567', description: 'Too long' }]),
      'reasonCodes[0].code: must be 1 to 6 decimal digits',
    ],
    [
      'reason code',
      (s) => void (s.reasonCodes = [{ code: '12a', description: 'Letters' }]),
      'reasonCodes[0].code: must be 1 to 6 decimal digits',
    ],
    [
      'reason description',
      (s) => void (s.reasonCodes = [{ code: '12', description: ' ' }]),
      'reasonCodes[0].description: must be 1 to 200 characters, not blank',
    ],
    [
      'reason code twice',
      (s) =>
        void (s.reasonCodes = [
          { code: '12', description: 'A' },
          { code: '12', description: 'B' },
        ]),
      'reasonCodes[1].code: reason code 12 appears more than once (also reasonCodes[0])',
    ],
  ];

  it.each(cases)(
    '%s: the problem names the path, and nothing changes',
    (_what, change, problem) => {
      const { db } = temp.open();
      applyPermissionSync(db, loadedSet(1), options);
      const before = everything(db);
      const result = applyPermissionSync(db, edit(loadedSet(1), 2, change), options);
      expect(result).toMatchObject({ ok: false, reason: 'invalid' });
      expect(!result.ok && result.problems).toEqual([problem]);
      expect(everything(db)).toEqual(before);
    },
  );

  const hashCases: Array<[string, string]> = [
    ['a bare PIN', '2468'],
    ['another scheme', `bcrypt$16384$8$1$${salt}$${hash32}`],
    ['N not a power of two', `scrypt$1000$8$1$${salt}$${hash32}`],
    ['a cost beyond 64 MiB', `scrypt$1048576$8$1$${salt}$${hash32}`],
    ['a short hash', `scrypt$32768$8$1$${salt}$${Buffer.alloc(16).toString('base64')}`],
    ['a salt not base64', `scrypt$32768$8$1$not*base64$${hash32}`],
    ['a part too many', `scrypt$32768$8$1$${salt}$${hash32}$x`],
  ];

  it.each(hashCases)('a PIN hash that is %s is refused without being echoed', (_what, bad) => {
    const { db } = temp.open();
    applyPermissionSync(db, loadedSet(1), options);
    const before = everything(db);
    const next = edit(loadedSet(1), 2, (s) => {
      s.credentials[2]!.pinHash = bad;
      s.credentials[1]!.duressPinHash = bad;
    });
    const result = applyPermissionSync(db, next, options);
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    const shape: unknown = expect.stringMatching(
      /: must be a PIN hash scrypt\$N\$r\$p\$salt\$hash \(/,
    );
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^credentials\[1\]\.duressPinHash: /),
      expect.stringMatching(/^credentials\[2\]\.pinHash: /),
    ]);
    expect(!result.ok && result.problems).toEqual([shape, shape]);
    expect(JSON.stringify(result)).not.toContain(bad);
    expect(everything(db)).toEqual(before);
  });

  it('a PIN hash cheaper than N=2^15 is refused with the reason, without being echoed', () => {
    const { db } = temp.open();
    const cheap = `scrypt$16384$8$1$${salt}$${hash32}`;
    const result = applyPermissionSync(
      db,
      edit(loadedSet(1), 1, (s) => {
        s.credentials[2]!.pinHash = cheap;
      }),
      options,
    );
    expect(!result.ok && result.problems).toEqual([
      'credentials[2].pinHash: must cost at least N=32768 (2^15): a cheaper hash of a short PIN is searched in minutes by whoever copies the database',
    ]);
    expect(JSON.stringify(result)).not.toContain(cheap);
  });

  it('a duress PIN equal to the PIN, or without one, is refused without echoing either', () => {
    const { db } = temp.open();
    applyPermissionSync(db, loadedSet(1), options);
    const before = everything(db);
    const next = edit(loadedSet(1), 2, (s) => {
      s.credentials[0]!.duressPinHash = PIN;
      s.credentials[2]!.duressPinHash = DURESS;
    });
    const result = applyPermissionSync(db, next, options);
    expect(!result.ok && result.problems).toEqual([
      'credentials[0].duressPinHash: must differ from pinHash',
      'credentials[2].duressPinHash: needs a pinHash too',
    ]);
    expect(JSON.stringify(result)).not.toContain(PIN.split('$')[5]);
    expect(everything(db)).toEqual(before);
  });

  it('a delta is checked the same way, at the upsert, and may not remove an unknown tier', () => {
    const { db } = temp.open();
    applyPermissionSync(db, loadedSet(1), options);
    const before = everything(db);
    const result = applyPermissionSync(
      db,
      {
        version: 2,
        baseVersion: 1,
        upsert: { keys: [{ ...loadedSet(1).keys[0]!, curfewMinute: 2000 }] },
        remove: { tierRules: ['change', 'bronze'], accessGroups: [7] },
      },
      options,
    );
    expect(!result.ok && result.problems).toEqual([
      'upsert.keys[0].curfewMinute: must be a minute of the day 0 to 1439, or null',
      'remove.tierRules[0]: the rule of tier change is not in the current set',
      'remove.tierRules[1]: must be one of grand_master, master, sub_master, change',
      'current.groupMembers[holderId=1,groupId=7].groupId: access group 7 is not in the set (removed by remove.accessGroups[0])',
      'current.grants[id=100].groupId: access group 7 is not in the set (removed by remove.accessGroups[0])',
      'current.tierRules[tier=grand_master].authoriserGroupId: access group 7 is not in the set (removed by remove.accessGroups[0])',
      'current.tierRules[tier=master].authoriserGroupId: access group 7 is not in the set (removed by remove.accessGroups[0])',
    ]);
    expect(everything(db)).toEqual(before);
  });
});
