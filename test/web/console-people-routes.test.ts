import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewAndPeopleModules } from '../../src/web/routes/overview-and-people.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

const ADMIN = { account: 'carol', role: 'admin' } as const;
const CUSTODIAN = { account: 'maria', role: 'custodian' } as const;
const VIEWER = { account: 'vic', role: 'viewer' } as const;

let harness: WebHarness;
beforeAll(async () => {
  harness = await startWebHarness({
    modules: (clientFor, user) => overviewAndPeopleModules(clientFor, user),
  });
  const admin = harness.clientFor(ADMIN);
  for (let i = 1; i <= 30; i++) await admin.holders.add(`Person ${String(i).padStart(2, '0')}`);
  const ana = await admin.holders.add('Ana Fixit', { company: 'Fixit Ltd' });
  await admin.credentials.add(ana, '0000AB12');
  await admin.keys.add('A000000001', 1, 'Van keys');
});
afterAll(async () => {
  await harness.close();
});

async function call(
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${harness.url}${url}`, {
    method,
    ...(payload === undefined
      ? {}
      : { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const names = (body: Record<string, unknown>) =>
  (body.rows as Array<{ name: string }>).map((r) => r.name);

describe('people: search and paging', () => {
  it('pages in name order with the total', async () => {
    harness.signIn(VIEWER);
    const first = await call('GET', '/api/people?limit=10');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(31);
    expect(first.body.moreThanTotal).toBe(false);
    expect(names(first.body)[0]).toBe('Ana Fixit');
    const last = await call('GET', '/api/people?limit=10&offset=30');
    expect(names(last.body)).toEqual(['Person 30']);
    const beyond = await call('GET', '/api/people?offset=5000');
    expect(beyond.body).toEqual({ rows: [], total: 31, moreThanTotal: false });
  });

  it('finds by part of a name or company, and by a whole card only', async () => {
    harness.signIn(VIEWER);
    expect(names((await call('GET', '/api/people?text=fixit%20ltd')).body)).toEqual(['Ana Fixit']);
    expect(names((await call('GET', '/api/people?text=0000ab12')).body)).toEqual(['Ana Fixit']);
    // A part of a card finds nobody: a search cannot spell a card number out.
    expect(names((await call('GET', '/api/people?text=AB1')).body)).toEqual([]);
    // LIKE's wildcards are taken literally.
    expect(names((await call('GET', '/api/people?text=%25')).body)).toEqual([]);
  });

  it('refuses paging and filters out of range, naming the field', async () => {
    harness.signIn(VIEWER);
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['offset=-1', 'offset'],
      ['limit=ten', 'limit'],
      ['enabled=maybe', 'enabled'],
      ['groupId=0', 'groupId'],
      ['sort=name', 'additional'],
    ] as const) {
      const response = await call('GET', `/api/people?${query}`);
      expect(response.status, query).toBe(400);
      expect(String(response.body.message), query).toMatch(new RegExp(field));
    }
  });
});

describe('people: changes and attacks', () => {
  it('a viewer changes nothing: 403 and the records as they were', async () => {
    harness.signIn(VIEWER);
    const before = await call('GET', '/api/people?limit=100');
    for (const [method, url, payload] of [
      ['POST', '/api/people', { name: 'Mallory' }],
      ['PATCH', '/api/people/1', { name: 'Mallory' }],
      ['POST', '/api/people/1/disable', {}],
      ['POST', '/api/people/1/cards', { card: '12345678' }],
      ['POST', '/api/people/1/cards/enrol', {}],
      ['POST', '/api/people/cards/1/pin-reset', {}],
      ['PATCH', '/api/people/cards/1', { enabled: false }],
      [
        'POST',
        '/api/contractors',
        { name: 'M', company: 'C', card: '1', keyIds: [1], validUntil: '2099-01-01T00:00Z' },
      ],
    ] as const) {
      expect((await call(method, url, payload)).status, url).toBe(403);
    }
    expect(await call('GET', '/api/people?limit=100')).toEqual(before);
  });

  it('a forged holder id is not found; bad fields are named and change nothing', async () => {
    harness.signIn(CUSTODIAN);
    expect((await call('PATCH', '/api/people/999999', { name: 'X' })).status).toBe(404);
    expect((await call('POST', '/api/people/999999/disable', {})).status).toBe(404);
    const bad = await call('PATCH', '/api/people/1', { validUntil: 'next week' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toMatch(/validUntil/);
    const typed = await call('PATCH', '/api/people/1', { maxKeysOut: '3' });
    expect(typed.status).toBe(400);
    expect(String(typed.body.message)).toMatch(/maxKeysOut/);
    const unknown = await call('PATCH', '/api/people/1', { enabled: true, retired: 1 });
    expect(unknown.status).toBe(400);
    expect((await call('GET', '/api/people/1')).body).toMatchObject({
      name: 'Person 01',
      validUntil: null,
    });
  });

  it('disabling lists the keys the holder still has out', async () => {
    harness.signIn(CUSTODIAN);
    const added = await call('POST', '/api/people', { name: 'Leaver', company: 'Acme' });
    const id = added.body.id as number;
    const disabled = await call('POST', `/api/people/${id}/disable`, {});
    expect(disabled.body).toEqual({ changed: true, outstanding: [] });
    expect((await call('GET', `/api/people/${id}`)).body).toMatchObject({ enabled: false });
  });

  it('a contractor with a card and a key, all or nothing', async () => {
    harness.signIn(CUSTODIAN);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const before = (await call('GET', '/api/people')).body.total;
    // The card is already Ana's: nothing is added, not even the holder.
    const clash = await call('POST', '/api/contractors', {
      name: 'Half Done',
      company: 'Nope',
      card: '0000AB12',
      keyIds: [1],
      validUntil: until,
    });
    expect(clash.status).toBe(409);
    expect((await call('GET', '/api/people')).body.total).toBe(before);
    const ok = await call('POST', '/api/contractors', {
      name: 'Carl Contractor',
      company: 'Sparks & Co',
      card: '0000CC01',
      keyIds: [1],
      validUntil: until,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.slots).toEqual([1]);
    const found = await call('GET', '/api/people?text=sparks');
    expect(found.body.rows).toMatchObject([
      {
        name: 'Carl Contractor',
        company: 'Sparks & Co',
        validUntil: until,
        expired: false,
        cards: 1,
      },
    ]);
    const noEnd = await call('POST', '/api/contractors', {
      name: 'Forever',
      company: 'X',
      card: '0000CC02',
      keyIds: [1],
    });
    expect(noEnd.status).toBe(400);
    expect(String(noEnd.body.message)).toMatch(/validUntil/);
  });
});
