import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config-defaults.js';
import { keysAndRecordsModules } from '../../src/web/routes/keys-and-records.js';
import { signInByApi, startConsoleServer } from '../support/console-server.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

const ADMIN = { account: 'ada', role: 'admin' } as const;
const CUSTODIAN = { account: 'carol', role: 'custodian' } as const;
const VIEWER = { account: 'vic', role: 'viewer' } as const;

let harness: WebHarness;
let alice: number;
let dora: number;
let van: number;
let crew: number;
let vans: number;
beforeAll(async () => {
  harness = await startWebHarness({
    modules: (clientFor) =>
      keysAndRecordsModules(clientFor, { cabinetId: 'web-cab', policy: DEFAULT_CONFIG.policy }),
  });
  const client = harness.clientFor(ADMIN);
  alice = await client.holders.add('Alice Example', {});
  dora = await client.holders.add('Dora Departed', {});
  await client.holders.disable(dora);
  await client.keys.add('04A1B2C3', 1, 'K-01 Plant room', {});
  van = await client.keys.add('04A1B2C4', 2, 'K-02 Van', {});
  crew = await client.groups.add('Night crew', null);
  vans = await client.keySets.add('Vans');
  await client.keySets.addKey(vans, van);
});
afterAll(async () => {
  await harness.close();
});

interface Answer {
  id: number;
  message: string;
  error: string;
  kind: string;
  outcome: string;
  warning: string | null;
  revoked: boolean;
  removed: boolean;
  total: number;
  schedules: Array<{
    id: number;
    name: string;
    windows: Array<{ day: string; hours: string }>;
    exceptions: Array<{ date: string; kind: string; hours: string | null }>;
    usedBy: number;
  }>;
  entries: Array<{
    kind: string;
    id: number;
    holder: { name: string } | null;
    group: { name: string } | null;
    key: { label: string | null } | null;
    keySet: { name: string } | null;
    schedule: { name: string } | null;
    when: string;
  }>;
  events: Array<{ type: string; actor: string | null; details: string }>;
}

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: () => JSON.parse(text) as Answer };
}

const schedules = async () => (await harness.clientFor(ADMIN).schedules.list()).length;
const grants = async () => (await harness.clientFor(ADMIN).grants.list()).length;
const latestPolicyEvent = async () =>
  (await send('GET', '/api/events?type=policy.changed&limit=1')).json().events[0];
const hourFromNow = (hours: number) =>
  new Date(Date.now() + hours * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');

describe('schedules', () => {
  let shifts: number;

  it('adds a schedule, windows and an exception, each recorded under the web user', async () => {
    harness.signIn(CUSTODIAN);
    const added = await send('POST', '/api/schedules', { name: 'Shifts' });
    expect(added.status).toBe(200);
    shifts = added.json().id;
    expect(await latestPolicyEvent()).toMatchObject({ actor: 'carol' });
    expect(
      (
        await send('POST', `/api/schedules/${shifts}/windows`, {
          day: 'Mon',
          from: '22:00',
          until: '24:00',
        })
      ).status,
    ).toBe(200);
    await send('POST', `/api/schedules/${shifts}/windows`, {
      day: 'Tue',
      from: '00:00',
      until: '06:00',
    });
    const exception = await send('POST', `/api/schedules/${shifts}/exceptions`, {
      date: '2026-12-24',
      kind: 'open',
      from: '08:00',
      until: '12:00',
    });
    expect(exception.status).toBe(200);
    const event = await latestPolicyEvent();
    expect(event?.actor).toBe('carol');
    expect(event?.details).toContain('schedule_exception');
    await send('POST', `/api/schedules/${shifts}/exceptions`, {
      date: '2026-12-25',
      kind: 'closed',
    });
    harness.signIn(VIEWER);
    const [listed] = (await send('GET', '/api/schedules')).json().schedules;
    expect(listed).toMatchObject({
      name: 'Shifts',
      usedBy: 0,
      windows: [
        { day: 'Mon', hours: '22:00-24:00' },
        { day: 'Tue', hours: '00:00-06:00' },
      ],
      exceptions: [
        { date: '2026-12-24', kind: 'open', hours: '08:00-12:00' },
        { date: '2026-12-25', kind: 'closed', hours: null },
      ],
    });
  });

  it('refuses bad windows and exceptions by field name, changing nothing', async () => {
    harness.signIn(CUSTODIAN);
    const windows = async () =>
      (await harness.clientFor(ADMIN).schedules.list()).flatMap((s) => [
        ...s.windows,
        ...s.exceptions,
      ]).length;
    const before = await windows();
    const cases: Array<[string, unknown, RegExp]> = [
      ['windows', { day: 'Mon', from: '25:00', until: '26:00' }, /body\/from.*25:00/],
      ['windows', { day: 'Mon', from: '08:00', until: '24:01' }, /body\/until/],
      [
        'windows',
        { day: 'Mon', from: '18:00', until: '08:00' },
        /body\/until.*overnight access is two windows/,
      ],
      ['windows', { day: 'Mon', from: '08:00', until: '08:00' }, /body\/until/],
      ['windows', { day: 'Funday', from: '08:00', until: '09:00' }, /body\/day/],
      ['windows', { day: 1, from: '08:00', until: '09:00' }, /body\/day/],
      ['windows', { day: 'Mon', from: '08:00', until: '09:00', extra: 1 }, /additional/],
      ['exceptions', { date: '2026-02-31', kind: 'closed' }, /date.*2026-02-31/],
      ['exceptions', { date: '2026-13-01', kind: 'closed' }, /date/],
      ['exceptions', { date: 'tomorrow', kind: 'closed' }, /date/],
      ['exceptions', { date: '2026-12-31', kind: 'shut' }, /body\/kind/],
      ['exceptions', { date: '2026-12-31', kind: 'open', from: '08:00' }, /body\/until/],
    ];
    for (const [what, body, message] of cases) {
      const answer = await send('POST', `/api/schedules/${shifts}/${what}`, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json().message, JSON.stringify(body)).toMatch(message);
    }
    expect(await windows()).toBe(before);
  });

  it('has the application layer refuse the same values handed over as numbers (a socket client)', async () => {
    const client = harness.clientFor(CUSTODIAN);
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => client.schedules.addWindow(shifts, 9, { start: 60, end: 120 }), /day must be a day/],
      [() => client.schedules.addWindow(shifts, 1, { start: 1500, end: 1560 }), /hours must be/],
      [() => client.schedules.addWindow(shifts, 1, { start: 600, end: 60 }), /overnight/],
      [() => client.schedules.addException(shifts, '2026-02-31', 'closed', null), /date/],
      [
        () => client.schedules.addException(shifts, '2026-12-31', 'ajar' as 'open', null),
        /kind must be one of closed, open/,
      ],
    ];
    for (const [call, message] of cases) {
      await expect(call()).rejects.toThrow(message);
    }
  });

  it('answers 404 for a schedule that does not exist, and refuses a viewer', async () => {
    harness.signIn(CUSTODIAN);
    const window = { day: 'Mon', from: '08:00', until: '09:00' };
    expect((await send('POST', '/api/schedules/9999/windows', window)).status).toBe(404);
    expect(
      (await send('POST', '/api/schedules/9999/exceptions', { date: '2026-12-31', kind: 'closed' }))
        .status,
    ).toBe(404);
    expect((await send('DELETE', '/api/schedules/9999')).status).toBe(404);
    expect((await send('POST', '/api/schedules/0/windows', window)).status).toBe(400);
    harness.signIn(VIEWER);
    const count = await schedules();
    expect((await send('POST', '/api/schedules', { name: 'Sneaky' })).status).toBe(403);
    expect((await send('POST', `/api/schedules/${shifts}/windows`, window)).status).toBe(403);
    expect((await send('DELETE', `/api/schedules/${shifts}`)).status).toBe(403);
    expect(await schedules()).toBe(count);
  });

  it('refuses to remove a schedule a grant uses, then removes it once the grant is revoked', async () => {
    harness.signIn(CUSTODIAN);
    const granted = await send('POST', '/api/access', {
      groupId: crew,
      keySetId: vans,
      scheduleId: shifts,
    });
    expect(granted.json()).toMatchObject({ kind: 'grant', outcome: 'added', warning: null });
    const [listed] = (await send('GET', '/api/schedules')).json().schedules;
    expect(listed?.usedBy).toBe(1);
    const refused = await send('DELETE', `/api/schedules/${shifts}`);
    expect(refused.status).toBe(409);
    expect(refused.json().message).toMatch(/used by 1 grant/);
    expect(await schedules()).toBe(1);
    expect((await send('DELETE', `/api/access/grant/${granted.json().id}`)).json()).toEqual({
      revoked: true,
    });
    expect((await send('DELETE', `/api/schedules/${shifts}`)).json()).toEqual({ removed: true });
    expect(await schedules()).toBe(0);
  });
});

describe('permissions and grants', () => {
  it('grants a person a key from tomorrow, lists it as future by name, and revokes it', async () => {
    harness.signIn(CUSTODIAN);
    const added = await send('POST', '/api/access', {
      holderId: alice,
      keyId: van,
      validFrom: hourFromNow(24),
      validUntil: hourFromNow(32),
    });
    expect(added.status).toBe(200);
    expect(added.json()).toMatchObject({ kind: 'permission', outcome: 'added', warning: null });
    expect(await latestPolicyEvent()).toMatchObject({ actor: 'carol' });
    harness.signIn(VIEWER);
    const listed = (await send('GET', '/api/access')).json();
    expect(listed.entries).toContainEqual(
      expect.objectContaining({
        kind: 'permission',
        holder: { id: alice, name: 'Alice Example' },
        key: { slot: 2, keyId: van, label: 'K-02 Van' },
        when: 'future',
      }),
    );
    const matrix = await send('GET', '/api/access-matrix');
    expect(JSON.stringify(matrix.json())).toContain(`"holderId":${alice}`);
    harness.signIn(CUSTODIAN);
    const revoked = await send('DELETE', `/api/access/permission/${alice}/2`);
    expect(revoked.json()).toEqual({ revoked: true });
    expect((await send('GET', '/api/access')).json().total).toBe(0);
    const event = (await send('GET', '/api/events?type=permission.revoked&limit=1')).json();
    expect(event.events[0]).toMatchObject({ actor: 'carol' });
  });

  it('does not list a grant once it has ended', async () => {
    harness.signIn(CUSTODIAN);
    const added = await send('POST', '/api/access', {
      groupId: crew,
      keyId: van,
      validUntil: hourFromNow(1),
    });
    const id = added.json().id;
    const listed = async () =>
      (await send('GET', '/api/access'))
        .json()
        .entries.filter((e) => e.id === id && e.kind === 'grant');
    expect(await listed()).toEqual([
      expect.objectContaining({ group: { id: crew, name: 'Night crew' }, when: 'current' }),
    ]);
    // An hour passes: the grant's end is now behind us (a grant cannot be added already ended).
    const db = new Database(harness.database);
    db.prepare('UPDATE policy_grants SET valid_until = ? WHERE id = ?').run(
      new Date(Date.now() - 60_000).toISOString(),
      id,
    );
    db.close();
    expect(await listed()).toEqual([]);
    await send('DELETE', `/api/access/grant/${id}`);
  });

  it('warns when the person is disabled: the grant is made but cannot be used yet', async () => {
    harness.signIn(CUSTODIAN);
    const added = await send('POST', '/api/access', { holderId: dora, keySetId: vans });
    expect(added.status).toBe(200);
    expect(added.json().warning).toMatch(/Dora Departed is disabled/);
    await send('DELETE', `/api/access/grant/${added.json().id}`);
  });

  it("warns when the person's access has ended", async () => {
    const admin = harness.clientFor(ADMIN);
    const ended = await admin.holders.add('Eve Ended', {});
    // A validity may be ended in the past on purpose (it ends the access now).
    await admin.holders.update(ended, { validUntil: '2026-01-01T00:00:00Z' });
    harness.signIn(CUSTODIAN);
    const added = await send('POST', '/api/access', { holderId: ended, keyId: van });
    expect(added.json().warning).toMatch(/Eve Ended's access ended at 2026-01-01/);
    await send('DELETE', `/api/access/permission/${ended}/2`);
  });

  it('pages what is in force, permissions first, and refuses a page out of range', async () => {
    harness.signIn(CUSTODIAN);
    const first = await send('POST', '/api/access', { holderId: alice, keyId: van });
    const second = await send('POST', '/api/access', { groupId: crew, keySetId: vans });
    harness.signIn(VIEWER);
    const page1 = (await send('GET', '/api/access?offset=0&limit=1')).json();
    expect(page1.total).toBe(2);
    expect(page1.entries.map((e) => e.kind)).toEqual(['permission']);
    const page2 = (await send('GET', '/api/access?offset=1&limit=1')).json();
    expect(page2.entries.map((e) => [e.kind, e.id])).toEqual([['grant', second.json().id]]);
    for (const query of ['limit=101', 'limit=0', 'offset=-1', 'sneaky=1']) {
      const answer = await send('GET', `/api/access?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.json().message).toMatch(/querystring/);
    }
    await expect(
      harness.clientFor(VIEWER).grants.inForce({ offset: 0, limit: 1e6 }),
    ).rejects.toThrow(/limit must be a whole number from 1 to 100/);
    harness.signIn(CUSTODIAN);
    expect(first.json().kind).toBe('permission');
    await send('DELETE', `/api/access/permission/${alice}/2`);
    await send('DELETE', `/api/access/grant/${second.json().id}`);
  });

  it('refuses a bad grant by field name and changes nothing', async () => {
    harness.signIn(CUSTODIAN);
    const before = await grants();
    const cases: Array<[unknown, number, RegExp]> = [
      [{ holderId: alice }, 400, /exactly one of body\/keyId and body\/keySetId/],
      [{ keyId: van }, 400, /exactly one of body\/holderId and body\/groupId/],
      [{ holderId: alice, groupId: crew, keyId: van }, 400, /exactly one of body\/holderId/],
      [
        { holderId: alice, keyId: van, validFrom: hourFromNow(5), validUntil: hourFromNow(2) },
        400,
        /body\/validUntil .* must be after body\/validFrom/,
      ],
      [{ holderId: alice, keyId: van, validUntil: hourFromNow(-2) }, 400, /has already passed/],
      [{ holderId: alice, keyId: van, validUntil: 'next week' }, 400, /validUntil/],
      [{ holderId: alice, keyId: van, validUntil: '2026-12-31' }, 400, /validUntil/],
      [{ holderId: 9999, keyId: van }, 404, /holder/],
      [{ holderId: alice, keyId: 9999 }, 404, /no key 9999/],
      [{ groupId: 9999, keyId: van }, 404, /group/],
      [{ holderId: alice, keySetId: 9999 }, 404, /key set/],
      [{ holderId: alice, keyId: van, scheduleId: 9999 }, 404, /schedule/],
      [{ holderId: alice, keyId: van, admin: true }, 400, /additional/],
      [{ holderId: '1 OR 1=1', keyId: van }, 400, /body\/holderId/],
    ];
    for (const [body, status, message] of cases) {
      const answer = await send('POST', '/api/access', body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.json().message, JSON.stringify(body)).toMatch(message);
    }
    expect(await grants()).toBe(before);
    expect((await send('DELETE', '/api/access/grant/9999')).status).toBe(404);
    expect((await send('DELETE', '/api/access/permission/9999/2')).status).toBe(404);
    expect((await send('DELETE', `/api/access/permission/${alice}/99`)).status).toBe(404);
    expect((await send('DELETE', `/api/access/permission/${alice}/2`)).json()).toEqual({
      revoked: false,
    });
    expect((await send('DELETE', '/api/access/everything/1')).status).toBe(404);
  });

  it('refuses a 10,000-entry body before reading it, and a viewer granting', async () => {
    harness.signIn(CUSTODIAN);
    const before = await grants();
    const manyFields = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, i]));
    const manyIds = Array.from({ length: 10_000 }, (_, i) => i + 1);
    for (const body of [{ holderId: alice, keyId: van, ...manyFields }, manyIds]) {
      expect((await send('POST', '/api/access', body)).status).toBe(413);
    }
    const control = await send('POST', '/api/schedules', { name: 'Night\u001b[2J' });
    expect(control.status).toBe(400);
    expect(control.json().message).toMatch(/schedule name/);
    const longName = await send('POST', '/api/schedules', { name: 'x'.repeat(3000) });
    expect(longName.status).toBe(400);
    expect(longName.json().message).toMatch(/body\/name/);
    harness.signIn(VIEWER);
    expect((await send('POST', '/api/access', { holderId: alice, keyId: van })).status).toBe(403);
    expect(await grants()).toBe(before);
  });
});

describe('the tier rule', () => {
  it("sets a tier's authoriser group (admin only), and refuses one that does not exist", async () => {
    const rule = async () =>
      (await harness.clientFor(ADMIN).tiers.list()).find((t) => t.tier === 'master');
    harness.signIn(CUSTODIAN);
    const custodian = await send('PUT', '/api/tiers/master', {
      authorisers: 1,
      authoriserGroupId: crew,
    });
    expect(custodian.status).toBe(403);
    expect((await rule())?.authoriserGroupId).toBeNull();
    harness.signIn(ADMIN);
    // A group of authorisers with no authoriser asked for would say nothing: refused.
    const none = await send('PUT', '/api/tiers/master', {
      authorisers: 0,
      authoriserGroupId: crew,
    });
    expect(none.status).toBe(400);
    expect(none.json().message).toMatch(/authoriser/);
    expect(
      (await send('PUT', '/api/tiers/master', { authorisers: 1, authoriserGroupId: 9999 })).status,
    ).toBe(404);
    expect((await rule())?.authoriserGroupId).toBeNull();
    const set = await send('PUT', '/api/tiers/master', { authorisers: 1, authoriserGroupId: crew });
    expect(set.status).toBe(200);
    expect(await rule()).toMatchObject({ authorisers: 1, authoriserGroupId: crew });
    expect(await latestPolicyEvent()).toMatchObject({ actor: 'ada' });
    await send('PUT', '/api/tiers/master', { authoriserGroupId: null });
    expect((await rule())?.authoriserGroupId).toBeNull();
  });
});

describe('with the real sign-in', () => {
  it('refuses a change without the CSRF token, and records a change as the account', async () => {
    const server = await startConsoleServer({ listen: false });
    try {
      await server.accounts.add('unix:test', {
        account: 'maria',
        role: 'custodian',
        password: 'correct horse battery',
      });
      const session = await signInByApi(server.app, 'maria', 'correct horse battery');
      const post = (headers: Record<string, string>) =>
        server.app.inject({
          method: 'POST',
          url: '/api/schedules',
          headers: { cookie: session.cookie, ...headers },
          payload: { name: 'Forged' },
        });
      const forged = await post({
        origin: 'http://evil.example',
        'x-csrf-token': session.csrfToken,
      });
      expect(forged.statusCode).toBe(403);
      expect((await post({})).statusCode).toBe(403);
      const listed = await server.app.inject({
        url: '/api/schedules',
        headers: { cookie: session.cookie },
      });
      expect(listed.json<Answer>().schedules).toEqual([]);
      expect((await post({ 'x-csrf-token': session.csrfToken })).statusCode).toBe(200);
      const events = await server.app.inject({
        url: '/api/events?type=policy.changed&limit=1',
        headers: { cookie: session.cookie },
      });
      expect(events.json<Answer>().events[0]).toMatchObject({ actor: 'maria' });
    } finally {
      await server.close();
    }
  });
});
