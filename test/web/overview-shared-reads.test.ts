import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedReads } from '../../src/web/live/shared-reads.js';
import { overviewAndPeopleModules } from '../../src/web/routes/overview-and-people.js';
import type { ClientFor } from '../../src/web/web-context.js';
import { ConsoleCabinet } from '../support/console-cabinet.js';
import { waitFor } from '../support/wait-for.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

/** A read that answers when told to, counting how often it was asked. */
function gatedRead() {
  let calls = 0;
  const pending: Array<{ resolve: (v: string) => void; reject: (e: Error) => void }> = [];
  return {
    read: () =>
      new Promise<string>((resolve, reject) => {
        calls += 1;
        pending.push({ resolve, reject });
      }),
    calls: () => calls,
    answer: (value: string) => pending.shift()?.resolve(value),
    fail: () => pending.shift()?.reject(new Error('daemon gone')),
  };
}

describe('SharedReads', () => {
  it('shares one read among the requests naming the latest announced change', async () => {
    const shared = new SharedReads();
    shared.changed(7);
    const gate = gatedRead();
    const answers = Array.from({ length: 20 }, () => shared.read('slots', 7, gate.read));
    expect(gate.calls()).toBe(1);
    gate.answer('after 7');
    expect(await Promise.all(answers)).toEqual(Array(20).fill('after 7'));
    // Still the same change: a late page gets the same answer without asking again.
    expect(await shared.read('slots', 7, gate.read)).toBe('after 7');
    expect(gate.calls()).toBe(1);
    // Another thing read is another read.
    const alarms = shared.read('alarms', 7, gate.read);
    expect(gate.calls()).toBe(2);
    gate.answer('alarms');
    expect(await alarms).toBe('alarms');
  });

  it('reads afresh for no seq, an older or unknown seq, and after the next change', async () => {
    const shared = new SharedReads();
    const gate = gatedRead();
    // Nothing announced yet: nothing shared.
    const first = [shared.read('slots', 3, gate.read), shared.read('slots', 3, gate.read)];
    expect(gate.calls()).toBe(2);
    shared.changed(3);
    const held = shared.read('slots', 3, gate.read);
    expect(gate.calls()).toBe(3);
    void shared.read('slots', undefined, gate.read);
    void shared.read('slots', 2, gate.read);
    void shared.read('slots', 4, gate.read);
    expect(gate.calls()).toBe(6);
    // The next change: a read started before it is never handed out for it.
    shared.changed(4);
    void shared.read('slots', 4, gate.read);
    expect(gate.calls()).toBe(7);
    for (let i = 0; i < 7; i += 1) gate.answer(`answer ${i}`);
    await Promise.all([...first, held]);
  });

  it('does not share a failure: the others ask for themselves, and the next one reads again', async () => {
    const shared = new SharedReads();
    shared.changed(1);
    const gate = gatedRead();
    const failing = shared.read('slots', 1, gate.read);
    const joined = shared.read('slots', 1, gate.read);
    gate.fail();
    await expect(failing).rejects.toThrow('daemon gone');
    // The joined request asked on its own.
    await waitFor(() => gate.calls() === 2, 'the joined request to read itself');
    gate.answer('fresh');
    expect(await joined).toBe('fresh');
    const next = shared.read('slots', 1, gate.read);
    expect(gate.calls()).toBe(3);
    gate.answer('again');
    expect(await next).toBe('again');
  });
});

describe('the overview re-read after a live change', () => {
  const VIEWER = { account: 'vic', role: 'viewer' } as const;
  let harness: WebHarness;
  let cabinet: ConsoleCabinet;
  let overviewReads = 0;
  let aliceId: number;

  beforeAll(async () => {
    harness = await startWebHarness({
      user: VIEWER,
      modules: (clientFor, user) => {
        // Counts the daemon reads of the slot map the routes make.
        const counting: ClientFor = (who) => {
          const client = clientFor(who);
          return new Proxy(client, {
            get(target, name, receiver) {
              const value: unknown = Reflect.get(target, name, receiver);
              if (name !== 'slots') return value;
              const slots = value as typeof client.slots;
              return {
                ...slots,
                overview: () => {
                  overviewReads += 1;
                  return slots.overview();
                },
              };
            },
          });
        };
        return overviewAndPeopleModules(counting, user);
      },
    });
    const admin = harness.clientFor({ account: 'carol', role: 'admin' });
    await admin.keys.add('A000000001', 1, 'Van keys');
    aliceId = await admin.holders.add('Alice Example');
    cabinet = new ConsoleCabinet(harness.database);
  });
  afterAll(async () => {
    cabinet.close();
    await harness.close();
  });

  it('is one daemon read for twenty pages naming the change, and shows the change', async () => {
    // A page's live stream: the change messages' seqs.
    const abort = new AbortController();
    const live = await fetch(`${harness.url}/api/live`, { signal: abort.signal });
    const seqs: number[] = [];
    let ready = false;
    void (async () => {
      const decoder = new TextDecoder();
      let text = '';
      try {
        for await (const chunk of live.body as ReadableStream<Uint8Array>) {
          text += decoder.decode(chunk, { stream: true });
          ready ||= text.includes('event: ready');
          for (const m of text.matchAll(/event: change\ndata: (.*)\n/g)) {
            const seq = (JSON.parse(m[1] ?? '{}') as { seq: number }).seq;
            if (!seqs.includes(seq)) seqs.push(seq);
          }
        }
      } catch {
        // Closed by the test.
      }
    })();
    await waitFor(() => ready, 'the live stream to be ready');

    cabinet.take(
      { keyId: 1, keyLabel: 'Van keys', slot: 1 },
      { holderId: aliceId, holderName: 'Alice Example' },
      new Date(Date.now() + 3_600_000).toISOString(),
    );
    await waitFor(() => seqs.length > 0, 'the change to be announced');
    const seq = seqs.at(-1) as number;

    const before = overviewReads;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${harness.url}/api/overview/slots?seenSeq=${seq}`).then(
          (r) => r.json() as Promise<Array<{ slot: number; status: string }>>,
        ),
      ),
    );
    expect(overviewReads - before).toBe(1);
    for (const slots of answers) expect(slots[0]).toMatchObject({ slot: 1, status: 'out' });

    // Without the seq (a first read, an integrator), each request reads for itself.
    const fresh = overviewReads;
    await Promise.all(Array.from({ length: 3 }, () => fetch(`${harness.url}/api/overview/slots`)));
    expect(overviewReads - fresh).toBe(3);
    // A seq that is not a number is refused, naming it.
    const bad = await fetch(`${harness.url}/api/overview/slots?seenSeq=abc`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('seenSeq');
    abort.abort();
  });
});
