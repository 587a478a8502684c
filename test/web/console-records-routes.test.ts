import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config-defaults.js';
import { keysAndRecordsModules } from '../../src/web/routes/keys-and-records.js';
import { MAX_IMPORT_CHARS } from '../../src/web/routes/csv-import.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

const ADMIN = { account: 'ada', role: 'admin' } as const;
const CUSTODIAN = { account: 'carol', role: 'custodian' } as const;
const VIEWER = { account: 'vic', role: 'viewer' } as const;

let harness: WebHarness;
let keyId: number;
let aliceId: number;
beforeAll(async () => {
  harness = await startWebHarness({
    modules: (clientFor) =>
      keysAndRecordsModules(clientFor, { cabinetId: 'web-cab', policy: DEFAULT_CONFIG.policy }),
  });
  const client = harness.clientFor(ADMIN);
  aliceId = await client.holders.add('Alice Example', {});
  keyId = await client.keys.add('04A1B2C3', 1, 'K-01 Plant room', {});
  await client.keys.add('04A1B2C4', 2, '=HYPERLINK("http://evil.example")', {});
  await client.permissions.grant(aliceId, 1);
});
afterAll(async () => {
  await harness.close();
});

/** The fields of the answers these tests read (each answer has some of them). */
interface Answer {
  message: string;
  changed: boolean;
  events: Array<{
    seq: number;
    type: string;
    actor: string | null;
    holderName: string | null;
    details: string;
    data: Record<string, unknown>;
  }>;
  more: boolean;
  names: Record<'holders' | 'keys' | 'groups' | 'keySets' | 'schedules', Record<string, string>>;
  tiers: Array<{ tier: string }>;
  policy: unknown[];
  total: number;
  holders: unknown[];
  cells: unknown[];
  rows: unknown[];
  applied: boolean;
  errors: Array<{ line: number; message: string }>;
}

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Answer,
  };
}

const keyState = async () =>
  (await harness.clientFor(ADMIN).keys.list()).find((k) => k.id === keyId)?.state;

describe('keys and rules', () => {
  it('marks a key lost with the reason recorded in its audit event, and shows who', async () => {
    harness.signIn(CUSTODIAN);
    const answer = await send('POST', `/api/keys/${keyId}/state`, {
      state: 'lost',
      reason: 'not back after the night shift',
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ changed: true });
    const events = await send('GET', '/api/events?type=policy.changed&limit=1');
    const [latest] = events.json().events;
    expect(latest).toMatchObject({ actor: 'carol', type: 'policy.changed' });
    expect(latest?.details).toContain(`entity=key id=${keyId}`);
    expect(latest?.details).toContain('reason=not back after the night shift');
    await harness.clientFor(ADMIN).keys.setState(keyId, 'active', 'found in the canteen');
  });

  it('refuses a viewer changing a key or a tier, and a custodian changing a tier (nothing changed)', async () => {
    harness.signIn(VIEWER);
    const state = await send('POST', `/api/keys/${keyId}/state`, { state: 'stolen', reason: 'x' });
    expect(state.status).toBe(403);
    expect(await keyState()).toBe('active');
    const before = await harness.clientFor(ADMIN).tiers.list();
    const flipped = { pin: !before.find((t) => t.tier === 'master')?.pin };
    expect((await send('PUT', '/api/tiers/master', flipped)).status).toBe(403);
    harness.signIn(CUSTODIAN);
    expect((await send('PUT', '/api/tiers/master', flipped)).status).toBe(403);
    expect(await harness.clientFor(ADMIN).tiers.list()).toEqual(before);
    harness.signIn(ADMIN);
    expect((await send('PUT', '/api/tiers/master', flipped)).json()).toEqual({ changed: true });
    expect((await send('PUT', '/api/tiers/master', { authorisers: 3 })).status).toBe(400);
  });

  it('names the field of a bad state change and changes nothing', async () => {
    harness.signIn(CUSTODIAN);
    const cases: Array<[unknown, RegExp]> = [
      [{ state: 'melted', reason: 'x' }, /body\/state/],
      [{ state: 'lost' }, /body must have required property 'reason'/],
      [{ state: 'lost', reason: '' }, /body\/reason/],
      [{ state: 'lost', reason: 'a\u001b[2Jb' }, /reason/],
      [{ state: 'lost', reason: 'x', extra: 1 }, /additional/],
    ];
    for (const [body, message] of cases) {
      const answer = await send('POST', `/api/keys/${keyId}/state`, body);
      expect(answer.status).toBe(400);
      expect(answer.json().message).toMatch(message);
    }
    expect(
      (await send('POST', '/api/keys/9999/state', { state: 'lost', reason: 'x' })).status,
    ).toBe(404);
    expect(await keyState()).toBe('active');
  });

  it('lists rules and the policy settings as the config has them', async () => {
    harness.signIn(VIEWER);
    const rules = (await send('GET', '/api/rules')).json();
    expect(rules.tiers.map((t) => t.tier)).toContain('master');
    expect(rules.policy).toContainEqual(
      expect.objectContaining({ name: 'policy.overdueBlocksTaking', value: true }),
    );
  });

  it('pages the access matrix and refuses a page out of range', async () => {
    harness.signIn(VIEWER);
    const page = (await send('GET', '/api/access-matrix?offset=0&limit=10')).json();
    expect(page.total).toBe(1);
    expect(page.holders).toEqual([{ id: aliceId, name: 'Alice Example', enabled: true }]);
    expect(page.cells).toEqual([
      { holderId: aliceId, slot: 1, via: 'direct', schedule: null, validUntil: null },
    ]);
    for (const query of ['limit=101', 'offset=-1', 'limit=0', 'offset=abc', 'sneaky=1']) {
      const answer = await send('GET', `/api/access-matrix?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.json().message).toMatch(/querystring/);
    }
  });
});

describe('records', () => {
  it('filters the event log by type, holder and time, newest first, and pages by seq', async () => {
    harness.signIn(VIEWER);
    const all = (await send('GET', '/api/events?limit=2')).json();
    expect(all.events).toHaveLength(2);
    expect(all.more).toBe(true);
    expect(all.events[0]?.seq).toBeGreaterThan(all.events[1]?.seq ?? 0);
    const next = (await send('GET', `/api/events?limit=2&beforeSeq=${all.events[1]?.seq}`)).json();
    expect(next.events[0]?.seq).toBeLessThan(all.events[1]?.seq ?? 0);
    const alice = (await send('GET', `/api/events?holderId=${aliceId}`)).json();
    expect(alice.events.map((e) => e.type).sort()).toEqual(['holder.added', 'permission.granted']);
    expect(alice.events[0]?.holderName).toBe('Alice Example');
    const future = (await send('GET', '/api/events?from=2999-01-01T00:00:00Z')).json();
    expect(future).toEqual({
      events: [],
      more: false,
      names: { holders: {}, keys: {}, groups: {}, keySets: {}, schedules: {} },
    });
  });

  it('gives each event its data as recorded and the names of what it names by id', async () => {
    const client = harness.clientFor(ADMIN);
    const group = await client.groups.add('Stores team', null);
    await client.groups.addMember(group, aliceId);
    harness.signIn(VIEWER);
    const page = (await send('GET', '/api/events?type=policy.changed&limit=5')).json();
    const member = page.events.find((e) => e.data.entity === 'group_member');
    expect(member?.data).toMatchObject({
      entity: 'group_member',
      id: `${group}:${aliceId}`,
      change: 'added',
      after: { groupId: group, holderId: aliceId },
    });
    expect(page.names.groups[group]).toBe('Stores team');
    expect(page.names.holders[aliceId]).toBe('Alice Example');
    // Integrators' name=value form is kept as it was.
    expect(member?.details).toMatch(/entity=group_member/);
  });

  it('refuses filters out of range by name', async () => {
    harness.signIn(VIEWER);
    const cases: Array<[string, RegExp]> = [
      ['limit=1000', /querystring\/limit/],
      ['holderId=0', /querystring\/holderId/],
      ['keyId=1.5', /querystring\/keyId/],
      ['from=yesterday', /from/],
      ['from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z', /from must be before to/],
      ['type=DROP TABLE', /type must be an event type/],
      ['beforeSeq=99999999999999999999', /beforeSeq/],
    ];
    for (const [query, message] of cases) {
      const answer = await send('GET', `/api/events?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.json().message, query).toMatch(message);
    }
  });
});

describe('reports', () => {
  it('shows a report as rows and downloads it as CSV with formula cells guarded', async () => {
    harness.signIn(VIEWER);
    const matrix = (await send('GET', '/api/reports/access-matrix')).json();
    expect(matrix.total).toBe(1);
    const audit = await send('GET', '/api/reports/physical-audit/csv');
    expect(audit.status).toBe(200);
    expect(audit.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(audit.headers.get('content-disposition')).toMatch(
      /^attachment; filename="keywarden-web-cab-physical-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    // The label a spreadsheet would run comes back as text, prefixed with a quote.
    expect(audit.text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(audit.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('asks history for a holder or a key, and refuses an unknown report', async () => {
    harness.signIn(VIEWER);
    const none = await send('GET', '/api/reports/history');
    expect(none.status).toBe(400);
    expect(none.json().message).toMatch(/holderId or keyId/);
    const history = (await send('GET', `/api/reports/history?holderId=${aliceId}`)).json();
    expect(history.rows.length).toBe(2);
    expect((await send('GET', '/api/reports/..%2f..%2fetc/csv')).status).toBe(400);
    expect((await send('GET', '/api/reports/history?from=tomorrow&keyId=1')).status).toBe(400);
    const impossible = await send('GET', '/api/reports/history?from=2026-13-45T99:99Z&keyId=1');
    expect(impossible.status).toBe(400);
    expect(impossible.json().message).toMatch(/querystring\/from/);
  });
});

describe('CSV import', () => {
  const holders = (rows: string[]) =>
    ['hr_ref,name,enabled,valid_from,valid_until,max_keys_out', ...rows].join('\n');

  it('previews with line-numbered errors, then applies all or nothing', async () => {
    harness.signIn(CUSTODIAN);
    const bad = holders(['E100,Bob Builder,yes,,,', 'E101,,yes,,,']);
    const preview = (await send('POST', '/api/import/holders', { csv: bad, apply: false })).json();
    expect(preview.applied).toBe(false);
    expect(preview.errors.map((e) => e.line)).toEqual([3]);
    expect(preview.errors[0]?.message).toMatch(/name/);
    const refused = (await send('POST', '/api/import/holders', { csv: bad, apply: true })).json();
    expect(refused.applied).toBe(false);
    const names = async () =>
      (await harness.clientFor(ADMIN).holders.list()).map((h) => h.name).sort();
    expect(await names()).toEqual(['Alice Example']);
    const good = holders(['E100,Bob Builder,yes,,,', 'E101,Cat Carpenter,yes,,,']);
    const applied = (await send('POST', '/api/import/holders', { csv: good, apply: true })).json();
    expect(applied).toMatchObject({ rows: 2, changes: 2, errors: [], applied: true });
    expect(await names()).toEqual(['Alice Example', 'Bob Builder', 'Cat Carpenter']);
  });

  it('refuses a viewer, an oversized file and an unknown kind, changing nothing', async () => {
    const csv = holders(['E200,Dan Driller,yes,,,']);
    harness.signIn(VIEWER);
    expect((await send('POST', '/api/import/holders', { csv, apply: true })).status).toBe(403);
    harness.signIn(CUSTODIAN);
    const big = `${csv}\n${'E201,Eve,yes,,,\n'.repeat(MAX_IMPORT_CHARS / 16 + 1)}`;
    const tooLong = await send('POST', '/api/import/holders', { csv: big, apply: true });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json().message).toMatch(/body\/csv must NOT have more than/);
    const huge = await send('POST', '/api/import/holders', { csv: big + big, apply: true });
    expect(huge.status).toBe(413);
    expect((await send('POST', '/api/import/doors', { csv, apply: true })).status).toBe(400);
    expect((await send('POST', '/api/import/holders', { csv, apply: 'yes' })).status).toBe(400);
    const names = (await harness.clientFor(ADMIN).holders.list()).map((h) => h.name);
    expect(names).not.toContain('Dan Driller');
    expect(names).not.toContain('Eve');
  });
});
