import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewAndPeopleModules } from '../../src/web/routes/overview-and-people.js';
import { ConsoleCabinet } from '../support/console-cabinet.js';
import { waitFor } from '../support/wait-for.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

const ADMIN = { account: 'carol', role: 'admin' } as const;
const CUSTODIAN = { account: 'maria', role: 'custodian' } as const;
const VIEWER = { account: 'vic', role: 'viewer' } as const;

let harness: WebHarness;
let cabinet: ConsoleCabinet;
let aliceId: number;
beforeAll(async () => {
  harness = await startWebHarness({
    modules: (clientFor, user) => overviewAndPeopleModules(clientFor, user),
  });
  const admin = harness.clientFor(ADMIN);
  aliceId = await admin.holders.add('Alice Example');
  await admin.keys.add('A000000001', 1, 'Van keys');
  await admin.keys.add('A000000002', 2, 'Plant room');
  cabinet = new ConsoleCabinet(harness.database);
});
afterAll(async () => {
  cabinet.close();
  await harness.close();
});

/** A call as the console's page makes it: status and parsed JSON body. */
async function inject(
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
): Promise<{ statusCode: number; json<T>(): T }> {
  const response = await fetch(`${harness.url}${url}`, {
    method,
    ...(payload === undefined
      ? {}
      : { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
  });
  const body: unknown = await response.json();
  return { statusCode: response.status, json: <T>() => body as T };
}

describe('the overview API', () => {
  it('shows each slot with its key by name, who has it out, since and due when', async () => {
    harness.signIn(VIEWER);
    const due = new Date(Date.now() + 3_600_000).toISOString();
    cabinet.take(
      { keyId: 1, keyLabel: 'Van keys', slot: 1 },
      { holderId: aliceId, holderName: 'Alice Example' },
      due,
    );
    const slots = (await inject('GET', '/api/overview/slots')).json<
      Array<Record<string, unknown>>
    >();
    expect(slots[0]).toMatchObject({
      slot: 1,
      keyLabel: 'Van keys',
      status: 'out',
      holderName: 'Alice Example',
      dueAt: due,
    });
    expect(slots[1]).toMatchObject({
      slot: 2,
      keyLabel: 'Plant room',
      status: 'in',
      holderName: null,
    });
  });

  it('lists an alarm in force, and a custodian acknowledges it with a note, recorded in their name', async () => {
    const seq = cabinet.record({ type: 'door.held_open', data: { heldOpenSeconds: 20 } });
    harness.signIn(CUSTODIAN);
    const alarms = (await inject('GET', '/api/alarms')).json<
      Array<{ seq: number; type: string }>
    >();
    expect(alarms.map((a) => [a.seq, a.type])).toContainEqual([seq, 'door.held_open']);

    const ack = await inject('POST', `/api/alarms/${seq}/acknowledge`, { note: 'closed the door' });
    expect(ack.statusCode).toBe(200);
    const after = (await inject('GET', '/api/alarms')).json<
      Array<{ seq: number; acknowledged: { actor: { account: string }; note: string } | null }>
    >();
    expect(after.find((a) => a.seq === seq)?.acknowledged).toMatchObject({
      actor: { account: 'maria' },
      note: 'closed the door',
    });
    const again = await inject('POST', `/api/alarms/${seq}/acknowledge`, { note: 'twice' });
    expect(again.statusCode).toBe(409);

    // Cleared at the cabinet: no longer in force.
    cabinet.record({
      type: 'alarm.cleared',
      data: { alarm: 'door.held_open', since: new Date().toISOString() },
    });
    const cleared = (await inject('GET', '/api/alarms')).json<Array<{ seq: number }>>();
    expect(cleared.map((a) => a.seq)).not.toContain(seq);
  });

  it('refuses an acknowledgement from a viewer, of no such alarm, or with a bad note, and records nothing', async () => {
    const seq = cabinet.record({ type: 'door.forced', data: {} });
    const count = () =>
      (
        cabinet.db
          .prepare("SELECT count(*) AS n FROM events WHERE type = 'alarm.acknowledged'")
          .get() as { n: number }
      ).n;
    const before = count();
    harness.signIn(VIEWER);
    expect((await inject('POST', `/api/alarms/${seq}/acknowledge`, { note: 'x' })).statusCode).toBe(
      403,
    );
    harness.signIn(CUSTODIAN);
    const missing = await inject('POST', '/api/alarms/999999/acknowledge', { note: 'x' });
    expect(missing.statusCode).toBe(404);
    const notAlarm = await inject('POST', '/api/alarms/1/acknowledge', { note: 'x' });
    expect(notAlarm.statusCode).toBe(404);
    const empty = await inject('POST', `/api/alarms/${seq}/acknowledge`, { note: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ message: string }>().message).toMatch(/note/);
    const extra = await inject('POST', `/api/alarms/${seq}/acknowledge`, {
      note: 'x',
      actor: 'boss',
    });
    expect(extra.statusCode).toBe(400);
    const badSeq = await inject('POST', '/api/alarms/abc/acknowledge', { note: 'x' });
    expect(badSeq.statusCode).toBe(400);
    expect(count()).toBe(before);
  });
});

describe('the live stream', () => {
  it('needs a session', async () => {
    harness.signIn(null);
    const response = await fetch(`${harness.url}/api/live`);
    expect(response.status).toBe(401);
  });

  it('tells a signed-in page what changed, and ends when the session ends', async () => {
    harness.signIn(VIEWER);
    const response = await fetch(`${harness.url}/api/live`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil(/event: ready/);
    cabinet.record({ type: 'door.forced', data: {} });
    await readUntil(/event: change\ndata: .*door\.forced/);
    // The change carries what the overview shows: the alarm now in force.
    expect(text).toMatch(
      /event: change\ndata: \{"seq":\d+,"slots":\[.*"alarms":\[\{"seq":\d+,"type":"door\.forced"/,
    );

    harness.signIn(null);
    // The stream ends at the next poll, and nothing more reaches it.
    let ended = false;
    while (!ended) ended = (await reader.read()).done;
    expect(ended).toBe(true);
  });

  it('refuses more streams per account than allowed, with a clear message', async () => {
    harness.signIn({ account: 'many', role: 'viewer' });
    const open: Response[] = [];
    for (let i = 0; i < 4; i++) open.push(await fetch(`${harness.url}/api/live`));
    expect(open.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const fifth = await fetch(`${harness.url}/api/live`);
    expect(fifth.status).toBe(503);
    expect(((await fifth.json()) as { message: string }).message).toMatch(/live pages open/);
    // A page closed frees its place.
    await open[0]!.body?.cancel();
    await waitFor(async () => {
      const again = await fetch(`${harness.url}/api/live`);
      await again.body?.cancel();
      return again.status === 200;
    }, 'a closed stream freeing its place');
    for (const r of open.slice(1)) await r.body?.cancel();
  });
});
