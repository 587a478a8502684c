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

/** Key 1 (slot 1) out with holder 1 since 08:00, as the daemon records a check-out. */
function keyOutWithHolder1(): void {
  cab.write(
    `INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq) VALUES (1, 1, 1, '2026-11-24T08:00:00.000Z', 1)`,
  );
}

describe('holders', () => {
  it('adds a contractor with a validity window and a keys-out limit, recorded with the details', async () => {
    expect(
      await ok(
        'holder',
        'add',
        '--name',
        'Eve Contractor',
        '--valid-from',
        '2036-12-01T08:00+01:00',
        '--valid-until',
        '2036-12-31T18:00Z',
        '--max-keys-out',
        '2',
      ),
    ).toBe('holder 1 added: Eve Contractor');
    expect(cab.events()).toEqual([
      { type: 'holder.added', data: { actor: CAROL, holderId: 1, name: 'Eve Contractor' } },
      {
        type: 'policy.changed',
        data: {
          actor: CAROL,
          entity: 'holder',
          id: '1',
          change: 'added',
          before: null,
          after: {
            name: 'Eve Contractor',
            enabled: true,
            validFrom: '2036-12-01T07:00:00.000Z',
            validUntil: '2036-12-31T18:00:00.000Z',
            maxKeysOut: 2,
            company: null,
          },
        },
      },
    ]);
  });

  it('sets validity and limits, records before and after of only what changed', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    expect(await ok('holder', 'set', '1', '--valid-until', '2037-01-01T00:00Z')).toBe(
      'holder 1 changed',
    );
    expect(await ok('holder', 'set', '1', '--valid-until', '2037-01-01T00:00Z')).toBe(
      'holder 1 already so; nothing changed',
    );
    await ok('holder', 'set', '1', '--valid-until', 'none', '--max-keys-out', '3');
    expect(
      cab
        .events()
        .slice(1)
        .map((e) => e.data),
    ).toEqual([
      {
        actor: CAROL,
        entity: 'holder',
        id: '1',
        change: 'updated',
        before: { validUntil: null },
        after: { validUntil: '2037-01-01T00:00:00.000Z' },
      },
      {
        actor: CAROL,
        entity: 'holder',
        id: '1',
        change: 'updated',
        before: { validUntil: '2037-01-01T00:00:00.000Z', maxKeysOut: null },
        after: { validUntil: null, maxKeysOut: 3 },
      },
    ]);
  });

  it('disabling a departing holder lists the keys they still hold, in the output and the event', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok('key', 'add', '--tag', 'A0000001', '--slot', '1', '--label', 'Store B');
    keyOutWithHolder1();
    const out = await ok('holder', 'disable', '1');
    expect(out).toContain('holder 1 disabled');
    expect(out).toContain('OUTSTANDING: 1 key(s) still out with holder 1');
    expect(out).toMatch(/1\s+Store B\s+1\s+2026-11-24 08:00 UTC/);
    expect(cab.events().at(-1)).toEqual({
      type: 'holder.disabled',
      data: {
        actor: CAROL,
        holderId: 1,
        name: 'Dana',
        outstanding: [
          { keyId: 1, keyLabel: 'Store B', slot: 1, outAt: '2026-11-24T08:00:00.000Z' },
        ],
      },
    });
    expect(await ok('holder', 'enable', '1')).toBe('holder 1 enabled');
    expect(cab.events().at(-1)?.data).toMatchObject({
      entity: 'holder',
      before: { enabled: false },
      after: { enabled: true },
    });
  });

  it('shows one holder with cards, groups, permissions and keys out', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok('credential', 'add', '--holder', '1', '--card', '100086F444');
    await ok('group', 'add', '--name', 'Nights');
    await ok('group', 'add-member', '1', '1');
    await ok('permission', 'grant', '--holder', '1', '--slot', '3');
    await ok('key', 'add', '--tag', 'A0000001', '--slot', '1', '--label', 'Store B');
    keyOutWithHolder1();
    const shown = JSON.parse((await cab.cliPlain('holder', 'show', '1', '--json')).out) as Record<
      string,
      unknown
    >;
    expect(shown).toMatchObject({
      id: 1,
      name: 'Dana',
      enabled: true,
      groups: [{ id: 1, name: 'Nights' }],
      permissions: [{ slot: 3, validFrom: null, validUntil: null }],
      credentials: [{ id: 1, card: '…F444', enabled: true, pin: false }],
      keysOut: [{ keyId: 1, keyLabel: 'Store B', slot: 1 }],
    });
    const text = (await cab.cliPlain('holder', 'show', '1')).out;
    expect(text).toContain('holder 1: Dana (enabled)');
    expect(text).toContain('Nights (1)');
    expect(JSON.stringify(shown)).not.toContain('100086F444');
  });

  it('a missing holder is refused with exit 1', async () => {
    expect(await cab.cliPlain('holder', 'show', '4')).toMatchObject({
      code: 1,
      err: 'keywarden holder show: no holder with id 4',
    });
  });
});

describe('credentials', () => {
  it('adds a card with validity, disables and enables it, sets validity, lists it shortened', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok(
      'credential',
      'add',
      '--holder',
      '1',
      '--card',
      '100086f444',
      '--valid-until',
      '2036-12-31T23:59Z',
    );
    expect(await ok('credential', 'disable', '1')).toBe('credential 1 disabled');
    expect(await ok('credential', 'disable', '1')).toBe(
      'credential 1 was already disabled; nothing changed',
    );
    expect(await ok('credential', 'enable', '1')).toBe('credential 1 enabled');
    await ok('credential', 'set', '1', '--valid-from', '2026-11-01T00:00Z');
    const events = cab.events().slice(1);
    expect(events.map((e) => e.type)).toEqual([
      'credential.added',
      'policy.changed',
      'policy.changed',
      'policy.changed',
      'policy.changed',
    ]);
    expect(events[1]?.data).toMatchObject({
      entity: 'credential',
      change: 'added',
      after: { holderId: 1, card: '…F444', validUntil: '2036-12-31T23:59:00.000Z' },
    });
    expect(events[2]?.data).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
    expect(JSON.stringify(cab.events())).not.toContain('100086F444');
    expect(JSON.parse((await cab.cliPlain('credential', 'list', '--json')).out)).toEqual([
      {
        id: 1,
        holderId: 1,
        holderName: 'Dana',
        card: '…F444',
        enabled: true,
        validFrom: '2026-11-01T00:00:00.000Z',
        validUntil: '2036-12-31T23:59:00.000Z',
        pin: false,
        duressPin: false,
        pinRequired: false,
      },
    ]);
  });
});

describe('keys and slots', () => {
  it('adds a key with tier, loan limit, curfew and return policy; sets state and limits', async () => {
    await ok(
      'key',
      'add',
      '--tag',
      'a0000001',
      '--slot',
      '1',
      '--label',
      'GM-1',
      '--tier',
      'grand_master',
      '--max-loan-minutes',
      '60',
      '--curfew',
      '18:30',
      '--return',
      'any',
    );
    expect(cab.events()[1]?.data).toEqual({
      actor: CAROL,
      entity: 'key',
      id: '1',
      change: 'added',
      before: null,
      after: {
        label: 'GM-1',
        tag: 'A0000001',
        homeSlot: 1,
        state: 'active',
        tier: 'grand_master',
        maxLoanMinutes: 60,
        curfew: '18:30',
        returnPolicy: 'any',
      },
    });
    expect(cab.rows('SELECT curfew_minute FROM keys')).toEqual([{ curfew_minute: 1110 }]);
    expect(await ok('key', 'set-state', '1', 'lost')).toBe('key 1 is now lost');
    expect(await ok('key', 'set-state', '1', 'lost')).toBe(
      'key 1 was already lost; nothing changed',
    );
    expect(
      await ok('key', 'set', '1', '--tier', 'none', '--curfew', 'none', '--max-loan-minutes', '30'),
    ).toBe('key 1 changed');
    expect(
      cab
        .events()
        .slice(2)
        .map((e) => e.data),
    ).toEqual([
      {
        actor: CAROL,
        entity: 'key',
        id: '1',
        change: 'updated',
        before: { state: 'active' },
        after: { state: 'lost' },
      },
      {
        actor: CAROL,
        entity: 'key',
        id: '1',
        change: 'updated',
        before: { tier: 'grand_master', maxLoanMinutes: 60, curfew: '18:30' },
        after: { tier: null, maxLoanMinutes: 30, curfew: null },
      },
    ]);
    const [key] = JSON.parse((await cab.cliPlain('key', 'list', '--json')).out) as Array<
      Record<string, unknown>
    >;
    expect(key).toMatchObject({
      id: 1,
      state: 'lost',
      tier: null,
      maxLoanMinutes: 30,
      returnPolicy: 'any',
      outWith: null,
    });
  });

  it('lists slots: enabled, the key at home, the key out and with whom', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok('key', 'add', '--tag', 'A0000001', '--slot', '1', '--label', 'K1');
    await ok('key', 'add', '--tag', 'A0000002', '--slot', '2', '--label', 'K2');
    keyOutWithHolder1();
    const slots = JSON.parse((await cab.cliPlain('slot', 'list', '--json')).out) as Array<
      Record<string, unknown>
    >;
    expect(slots).toHaveLength(12);
    expect(slots.slice(0, 3)).toEqual([
      {
        slot: 1,
        enabled: true,
        keyId: 1,
        keyLabel: 'K1',
        keyState: 'active',
        status: 'out',
        outWith: 1,
        outSince: '2026-11-24T08:00:00.000Z',
        inSlot: 'K1', // no movement recorded (the loan was written directly): assumed home
      },
      {
        slot: 2,
        enabled: true,
        keyId: 2,
        keyLabel: 'K2',
        keyState: 'active',
        status: 'in',
        outWith: null,
        outSince: null,
        inSlot: 'K2',
      },
      {
        slot: 3,
        enabled: true,
        keyId: null,
        keyLabel: null,
        keyState: null,
        status: 'empty',
        outWith: null,
        outSince: null,
        inSlot: null,
      },
    ]);
    expect((await cab.cliPlain('slot', 'list')).out).toMatch(
      /1\s+yes\s+K1 \(1\)\s+active\s+out\s+Dana \(1\)/,
    );
  });
});

describe('managed centrally', () => {
  it('once the central server has synced a set, local changes are refused and nothing changes', async () => {
    await ok('holder', 'add', '--name', 'Dana');
    cab.write('UPDATE sync_state SET version = 4');
    for (const args of [
      ['holder', 'set', '1', '--max-keys-out', '1'],
      ['group', 'add', '--name', 'G'],
      ['schedule', 'add', '--name', 'S'],
    ]) {
      const result = await cab.cli(...args);
      expect(result.code).toBe(1);
      expect(result.err).toContain('managed by the central server (sync version 4)');
    }
    expect(cab.events().map((e) => e.type)).toEqual(['holder.added']);
  });
});

describe('wrong arguments: exit 2, nothing changed', () => {
  it.each([
    [
      ['holder', 'add', '--name', 'X', '--valid-until', 'tomorrow'],
      '--valid-until: "tomorrow" is not a date and time with its zone',
    ],
    [['holder', 'add', '--name', 'X', '--max-keys-out', '-1'], '--max-keys-out'],
    [
      ['holder', 'set', '1'],
      'give at least one of --name, --valid-from, --valid-until, --max-keys-out',
    ],
    [['credential', 'add', '--holder', '1', '--card', 'XYZ'], 'sends exactly 10 hex digits'],
    [
      ['credential', 'set', '1', '--valid-from', '2026-13-01T00:00Z'],
      '--valid-from: 2026-13-01: month 13 is not a month (01 to 12)',
    ],
    [
      ['key', 'add', '--tag', 'A0000001', '--slot', '1', '--label', 'K', '--tier', 'boss'],
      '--tier must be one of grand_master, master, sub_master, change',
    ],
    [
      ['key', 'add', '--tag', 'A0000001', '--slot', '1', '--label', 'K', '--curfew', '25:00'],
      '--curfew: "25:00" is not a time of day (00:00 to 23:59)',
    ],
    [
      ['key', 'add', '--tag', 'A0000001', '--slot', '1', '--label', 'K', '--return', 'nearest'],
      '--return must be one of home, any',
    ],
    [['key', 'set-state', '1', 'misplaced'], 'state must be one of active, lost, stolen, retired'],
    [['key', 'set', '1'], 'give at least one of'],
    [['slot', 'list', 'extra'], 'unexpected argument "extra"'],
  ])('%j', async (args, message) => {
    await ok('holder', 'add', '--name', 'Dana');
    await ok('key', 'add', '--tag', 'B0000001', '--slot', '5', '--label', 'K5');
    const before = cab.rows('SELECT seq FROM events').length;
    const result = await (args[1] === 'list' ? cab.cliPlain : cab.cli)(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain('Usage: keywarden');
    expect(cab.rows('SELECT seq FROM events').length).toBe(before);
  });
});
