import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config-defaults.js';
import { keysAndRecordsModules } from '../../src/web/routes/keys-and-records.js';
import { overviewAndPeopleModules } from '../../src/web/routes/overview-and-people.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

const ADMIN = { account: 'ada', role: 'admin' } as const;
const CUSTODIAN = { account: 'carol', role: 'custodian' } as const;
const VIEWER = { account: 'vic', role: 'viewer' } as const;

let harness: WebHarness;
let alice: number;
let bob: number;
beforeAll(async () => {
  harness = await startWebHarness({
    modules: (clientFor, user) => [
      ...overviewAndPeopleModules(clientFor, user),
      ...keysAndRecordsModules(clientFor, { cabinetId: 'web-cab', policy: DEFAULT_CONFIG.policy }),
    ],
  });
  const client = harness.clientFor(ADMIN);
  alice = await client.holders.add('Alice Example', {});
  bob = await client.holders.add('Bob Builder', {});
  await client.keys.add('04A1B2C3', 1, 'K-01 Plant room', {});
  await client.keys.add('04A1B2C4', 2, 'K-02 Van', {});
  // Two keys of one label: adding "by label" must not pick one of them.
  await client.keys.add('04A1B2C5', 3, 'Spare', {});
  await client.keys.add('04A1B2C6', 4, 'Spare', {});
});
afterAll(async () => {
  await harness.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, payload?: unknown): Promise<Answer> {
  const response = await fetch(`${harness.url}${path}`, {
    method,
    ...(payload === undefined
      ? {}
      : { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const message = (answer: Answer) => String(answer.body.message);

interface GroupView {
  id: number;
  name: string;
  members: number;
  maxLoanMinutes: number | null;
  authorisesTiers: string[];
}
const groups = async () => (await call('GET', '/api/groups')).body.groups as GroupView[];
const keySets = async () =>
  (await call('GET', '/api/key-sets')).body.keySets as Array<{
    id: number;
    name: string;
    keys: Array<{ id: number; label: string }>;
  }>;

/** The policy changes recorded, newest last, with who made them. */
async function policyChanges() {
  const events = await harness.clientFor(ADMIN).events.recent(500);
  return events
    .filter((e) => e.type === 'policy.changed')
    .map((e) => e.data as { actor: { account: string }; entity: string });
}

describe('groups', () => {
  it('adds, renames, fills and empties a group, each change recorded under the web user', async () => {
    harness.signIn(CUSTODIAN);
    const before = (await policyChanges()).length;
    const added = await call('POST', '/api/groups', { name: 'Night crew', maxLoanMinutes: 240 });
    expect(added.status).toBe(201);
    const id = added.body.id as number;
    expect(await call('PATCH', `/api/groups/${id}`, { name: 'Night shift' })).toEqual({
      status: 200,
      body: { changed: true },
    });
    expect((await call('POST', `/api/groups/${id}/members`, { holderId: alice })).body).toEqual({
      changed: true,
    });
    // Twice is no change, and says so.
    expect((await call('POST', `/api/groups/${id}/members`, { holderId: alice })).body).toEqual({
      changed: false,
    });
    await call('POST', `/api/groups/${id}/members`, { holderId: bob });
    expect((await groups()).find((g) => g.id === id)).toEqual({
      id,
      name: 'Night shift',
      maxLoanMinutes: 240,
      members: 2,
      authorisesTiers: [],
    });
    // The page lists the members by name through the people search's group filter.
    const members = await call('GET', `/api/people?groupId=${id}`);
    expect((members.body.rows as Array<{ name: string }>).map((r) => r.name)).toEqual([
      'Alice Example',
      'Bob Builder',
    ]);
    expect((await call('DELETE', `/api/groups/${id}/members/${bob}`)).body).toEqual({
      changed: true,
    });
    const changes = (await policyChanges()).slice(before);
    expect(changes.map((c) => c.entity)).toEqual([
      'group',
      'group',
      'group_member',
      'group_member',
      'group_member',
    ]);
    expect(changes.every((c) => c.actor.account === 'carol')).toBe(true);
    expect((await call('DELETE', `/api/groups/${id}`)).body).toEqual({ removed: true });
    expect((await groups()).find((g) => g.id === id)).toBeUndefined();
  });

  it('refuses a duplicate, empty, blank or 10,000-character name, naming it, and adds nothing', async () => {
    harness.signIn(CUSTODIAN);
    const first = await call('POST', '/api/groups', { name: 'Cleaners' });
    const before = await groups();
    const cases: Array<[unknown, RegExp, number]> = [
      [
        { name: 'cleaners' },
        /group name must be unique: group \d+ is already named "cleaners"/,
        409,
      ],
      [{ name: '' }, /body\/name must NOT have fewer than 1 characters/, 400],
      [{ name: '   ' }, /a group name is empty/, 400],
      [{ name: 'x'.repeat(10_000) }, /body\/name must NOT have more than 200 characters/, 400],
      [{ name: 'Bell\u0007' }, /a group name/, 400],
      [{ name: 'Ok', maxLoanMinutes: 0 }, /body\/maxLoanMinutes/, 400],
      [{ name: 'Ok', members: [1] }, /additional properties/, 400],
      [{ name: 7 }, /body\/name must be string/, 400],
    ];
    for (const [payload, pattern, status] of cases) {
      const answer = await call('POST', '/api/groups', payload);
      expect(answer.status, JSON.stringify(payload).slice(0, 40)).toBe(status);
      expect(message(answer)).toMatch(pattern);
    }
    // A rename onto another group's name is refused too; onto its own (in other case) is not.
    const other = await call('POST', '/api/groups', { name: 'Porters' });
    const clash = await call('PATCH', `/api/groups/${other.body.id as number}`, {
      name: 'CLEANERS',
    });
    expect(clash.status).toBe(409);
    expect(
      (await call('PATCH', `/api/groups/${first.body.id as number}`, { name: 'CLEANERS' })).body,
    ).toEqual({ changed: true });
    expect((await call('PATCH', `/api/groups/${first.body.id as number}`, {})).status).toBe(400);
    expect((await groups()).length).toBe(before.length + 1);
  });

  it('answers 404 for a group or holder that does not exist, and 400 for a malformed id', async () => {
    harness.signIn(CUSTODIAN);
    const { id } = (await call('POST', '/api/groups', { name: 'Drivers' })).body as { id: number };
    for (const [method, path, payload] of [
      ['PATCH', '/api/groups/999999', { name: 'X' }],
      ['DELETE', '/api/groups/999999', undefined],
      ['POST', '/api/groups/999999/members', { holderId: alice }],
      ['POST', `/api/groups/${id}/members`, { holderId: 999999 }],
      ['DELETE', `/api/groups/${id}/members/999999`, undefined],
    ] as const) {
      const answer = await call(method, path, payload);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(message(answer)).toMatch(/no (group|holder) with id 999999/);
    }
    for (const path of ['/api/groups/0', '/api/groups/abc', '/api/groups/1.5', '/api/groups/-1']) {
      expect((await call('DELETE', path)).status, path).toBe(400);
    }
    expect((await call('POST', `/api/groups/${id}/members`, { holderId: '1' })).status).toBe(400);
  });

  it('refuses to remove a group a grant or a tier rule names, and keeps it whole', async () => {
    harness.signIn(CUSTODIAN);
    const admin = harness.clientFor(ADMIN);
    const granted = await admin.groups.add('Granted');
    await admin.groups.addMember(granted, alice);
    const set = await admin.keySets.add('For the grant');
    await admin.grants.add({ groupId: granted, keySetId: set });
    const inUse = await call('DELETE', `/api/groups/${granted}`);
    expect(inUse.status).toBe(409);
    expect(message(inUse)).toMatch(/named by 1 grant\(s\); revoke them first/);
    const setInUse = await call('DELETE', `/api/key-sets/${set}`);
    expect(setInUse.status).toBe(409);

    const authorisers = await admin.groups.add('Authorisers');
    await admin.tiers.set('master', { authorisers: 1, authoriserGroupId: authorisers });
    expect((await groups()).find((g) => g.id === authorisers)?.authorisesTiers).toEqual(['master']);
    const tier = await call('DELETE', `/api/groups/${authorisers}`);
    expect(tier.status).toBe(409);
    expect(message(tier)).toMatch(/authorises tier\(s\) master/);
    expect((await groups()).find((g) => g.id === granted)?.members).toBe(1);
    await admin.tiers.set('master', { authorisers: 0, authoriserGroupId: null });
  });
});

describe('key sets', () => {
  it('adds a key set, puts keys in by label, takes one out, renames and removes it', async () => {
    harness.signIn(CUSTODIAN);
    const before = (await policyChanges()).length;
    const added = await call('POST', '/api/key-sets', { name: 'Vans' });
    expect(added.status).toBe(201);
    const id = added.body.id as number;
    for (const label of ['K-01 Plant room', ' K-02 Van ']) {
      expect((await call('POST', `/api/key-sets/${id}/keys`, { label })).body).toEqual({
        changed: true,
      });
    }
    const set = (await keySets()).find((s) => s.id === id);
    expect(set?.keys.map((k) => k.label)).toEqual(['K-01 Plant room', 'K-02 Van']);
    const plant = set?.keys[0]?.id ?? 0;
    expect((await call('DELETE', `/api/key-sets/${id}/keys/${plant}`)).body).toEqual({
      changed: true,
    });
    expect((await call('PATCH', `/api/key-sets/${id}`, { name: 'Fleet' })).body).toEqual({
      changed: true,
    });
    expect((await keySets()).find((s) => s.id === id)).toMatchObject({
      name: 'Fleet',
      keys: [{ label: 'K-02 Van' }],
    });
    expect((await call('DELETE', `/api/key-sets/${id}`)).body).toEqual({ removed: true });
    const changes = (await policyChanges()).slice(before);
    expect(changes.map((c) => c.entity)).toEqual([
      'key_set',
      'key_set_member',
      'key_set_member',
      'key_set_member',
      'key_set',
      'key_set',
    ]);
    expect(changes.every((c) => c.actor.account === 'carol')).toBe(true);
  });

  it('refuses an unknown or ambiguous label and a duplicate name, naming the field', async () => {
    harness.signIn(CUSTODIAN);
    const { id } = (await call('POST', '/api/key-sets', { name: 'Spares' })).body as {
      id: number;
    };
    const unknown = await call('POST', `/api/key-sets/${id}/keys`, { label: 'K-99 Nowhere' });
    expect(unknown.status).toBe(400);
    expect(message(unknown)).toMatch(/body\/label: no key is labelled "K-99 Nowhere"/);
    const ambiguous = await call('POST', `/api/key-sets/${id}/keys`, { label: 'Spare' });
    expect(ambiguous.status).toBe(400);
    expect(message(ambiguous)).toMatch(/body\/label: 2 keys are labelled "Spare"/);
    const long = await call('POST', `/api/key-sets/${id}/keys`, { label: 'x'.repeat(10_000) });
    expect(message(long)).toMatch(/body\/label must NOT have more than 200/);
    const duplicate = await call('POST', '/api/key-sets', { name: 'SPARES' });
    expect(duplicate.status).toBe(409);
    expect(message(duplicate)).toMatch(/key set name must be unique/);
    expect((await call('POST', '/api/key-sets/999999/keys', { label: 'K-02 Van' })).status).toBe(
      404,
    );
    expect((await call('DELETE', `/api/key-sets/${id}/keys/999999`)).status).toBe(404);
    expect((await keySets()).find((s) => s.id === id)?.keys).toEqual([]);
  });
});

describe('reason codes', () => {
  it('adds and removes a code, and says which tiers ask for one', async () => {
    harness.signIn(ADMIN);
    await harness.clientFor(ADMIN).tiers.set('change', { reasonCode: true });
    harness.signIn(CUSTODIAN);
    const before = (await policyChanges()).length;
    const added = await call('POST', '/api/reason-codes', {
      code: '104',
      description: 'Planned maintenance',
    });
    expect(added).toEqual({ status: 201, body: { code: '104' } });
    const listed = (await call('GET', '/api/reason-codes')).body;
    expect(listed.reasonCodes).toEqual([{ code: '104', description: 'Planned maintenance' }]);
    // The change tier now asks; the master tiers ask by default.
    expect(listed.tiersAsking).toEqual(['grand_master', 'master', 'change']);
    const again = await call('POST', '/api/reason-codes', { code: '104', description: 'Again' });
    expect(again.status).toBe(409);
    expect((await call('DELETE', '/api/reason-codes/104')).body).toEqual({ removed: true });
    expect((await call('DELETE', '/api/reason-codes/104')).status).toBe(404);
    const changes = (await policyChanges()).slice(before);
    expect(changes.map((c) => c.entity)).toEqual(['reason_code', 'reason_code']);
    expect(changes.every((c) => c.actor.account === 'carol')).toBe(true);
  });

  it('refuses a code that is not 1 to 6 digits or a bad description, naming the field', async () => {
    harness.signIn(CUSTODIAN);
    for (const [payload, field] of [
      [{ code: '1234567', description: 'x' }, 'body/code'],
      [{ code: '12a', description: 'x' }, 'body/code'],
      [{ code: '', description: 'x' }, 'body/code'],
      [{ code: '12', description: '' }, 'body/description'],
      [{ code: '12', description: 'x'.repeat(10_000) }, 'body/description'],
      [{ code: '12', description: 'x', tier: 'master' }, 'additional properties'],
    ] as const) {
      const answer = await call('POST', '/api/reason-codes', payload);
      expect(answer.status, field).toBe(400);
      expect(message(answer)).toMatch(field);
    }
    expect((await call('DELETE', '/api/reason-codes/abc')).status).toBe(400);
    expect(((await call('GET', '/api/reason-codes')).body.reasonCodes as unknown[]).length).toBe(0);
  });
});

describe('an auditor', () => {
  it('reads every list and changes nothing: 403 for every change', async () => {
    harness.signIn(CUSTODIAN);
    const group = (await call('POST', '/api/groups', { name: 'Audited' })).body.id as number;
    const set = (await call('POST', '/api/key-sets', { name: 'Audited set' })).body.id as number;
    await call('POST', '/api/reason-codes', { code: '7', description: 'Seven' });
    harness.signIn(VIEWER);
    const before = [await groups(), await keySets(), (await call('GET', '/api/reason-codes')).body];
    for (const [method, path, payload] of [
      ['POST', '/api/groups', { name: 'Mallory' }],
      ['PATCH', `/api/groups/${group}`, { name: 'Mallory' }],
      ['DELETE', `/api/groups/${group}`, undefined],
      ['POST', `/api/groups/${group}/members`, { holderId: alice }],
      ['DELETE', `/api/groups/${group}/members/${alice}`, undefined],
      ['POST', '/api/key-sets', { name: 'Mallory' }],
      ['PATCH', `/api/key-sets/${set}`, { name: 'Mallory' }],
      ['DELETE', `/api/key-sets/${set}`, undefined],
      ['POST', `/api/key-sets/${set}/keys`, { label: 'K-02 Van' }],
      ['DELETE', `/api/key-sets/${set}/keys/1`, undefined],
      ['POST', '/api/reason-codes', { code: '666', description: 'Mallory' }],
      ['DELETE', '/api/reason-codes/7', undefined],
    ] as const) {
      const answer = await call(method, path, payload);
      expect(answer.status, `${method} ${path}`).toBe(403);
    }
    expect([
      await groups(),
      await keySets(),
      (await call('GET', '/api/reason-codes')).body,
    ]).toEqual(before);
  });
});
