import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveModule } from '../../src/web/routes/live.js';
import { overviewModule } from '../../src/web/routes/overview.js';
import type { ClientFor } from '../../src/web/web-context.js';
import { ConsoleCabinet } from '../support/console-cabinet.js';
import { waitFor } from '../support/wait-for.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

/** The daemon reads the console's routes and live feed make, by operation. */
const reads = { latestSeq: 0, slots: 0, alarms: 0 };

interface LiveMessage {
  name: string;
  /** The data line exactly as sent. */
  raw: string;
  data: {
    seq: number;
    slots: Array<Record<string, unknown>>;
    alarms: Array<Record<string, unknown>>;
  };
}

/** A page's live stream, its messages collected as they come. */
async function openLive(url: string) {
  const abort = new AbortController();
  const response = await fetch(`${url}/api/live`, { signal: abort.signal });
  expect(response.status).toBe(200);
  const messages: LiveMessage[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of response.body as ReadableStream<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const message = text.slice(0, end);
          text = text.slice(end + 2);
          const name = /^event: (.*)$/m.exec(message)?.[1];
          const raw = /^data: (.*)$/m.exec(message)?.[1];
          if (name === undefined || raw === undefined) continue;
          messages.push({ name, raw, data: JSON.parse(raw) as LiveMessage['data'] });
        }
      }
    } catch {
      // Closed by the test.
    }
  })();
  return {
    messages,
    changes: () => messages.filter((m) => m.name === 'change'),
    close: () => abort.abort(),
  };
}

describe('the overview carried by the live stream', () => {
  const VIEWER = { account: 'vic', role: 'viewer' } as const;
  let harness: WebHarness;
  let cabinet: ConsoleCabinet;
  let aliceId: number;

  beforeAll(async () => {
    harness = await startWebHarness({
      user: VIEWER,
      modules: (clientFor, user) => {
        const counting: ClientFor = (who) => {
          const client = clientFor(who);
          return {
            ...client,
            events: {
              ...client.events,
              after: (seq, limit) => {
                reads.latestSeq += 1;
                return client.events.after(seq, limit);
              },
            },
            slots: {
              ...client.slots,
              overview: () => {
                reads.slots += 1;
                return client.slots.overview();
              },
            },
            alarms: {
              ...client.alarms,
              active: () => {
                reads.alarms += 1;
                return client.alarms.active();
              },
            },
          };
        };
        // The harness signs every request in as one person: twenty pages of theirs here.
        return [
          overviewModule(counting),
          liveModule({ clientFor: counting, authenticate: user, maxPerAccount: 20 }),
        ];
      },
    });
    const admin = harness.clientFor({ account: 'carol', role: 'admin' });
    await admin.keys.add('A000000001', 1, 'Van keys');
    await admin.keys.add('A000000002', 2, 'Plant room');
    aliceId = await admin.holders.add('Alice Example');
    cabinet = new ConsoleCabinet(harness.database);
  });
  afterAll(async () => {
    cabinet.close();
    await harness.close();
  });

  it('is one daemon read of the overview per change for twenty streams, the same bytes to each', async () => {
    const pages = await Promise.all(Array.from({ length: 20 }, () => openLive(harness.url)));
    await waitFor(
      () => pages.every((p) => p.messages.some((m) => m.name === 'ready')),
      'every stream to be ready',
    );
    // `ready` carries the overview as it is: both keys hanging, no alarm.
    for (const page of pages) {
      const ready = page.messages.find((m) => m.name === 'ready');
      expect(ready?.data.slots.slice(0, 2).map((s) => [s.slot, s.status])).toEqual([
        [1, 'in'],
        [2, 'in'],
      ]);
      expect(ready?.data.alarms).toEqual([]);
    }
    const before = { ...reads };

    const seq = cabinet.take(
      { keyId: 1, keyLabel: 'Van keys', slot: 1 },
      { holderId: aliceId, holderName: 'Alice Example' },
      new Date(Date.now() + 3_600_000).toISOString(),
    );
    await waitFor(() => pages.every((p) => p.changes().length === 1), 'every stream to hear it');
    const [first] = pages[0]?.changes() ?? [];
    expect(first?.data.seq).toBeGreaterThanOrEqual(seq);
    expect(first?.data.slots[0]).toMatchObject({
      slot: 1,
      status: 'out',
      holderName: 'Alice Example',
    });
    // Serialised once: the same bytes to every stream.
    for (const page of pages) expect(page.changes()[0]?.raw).toBe(first?.raw);
    // One read of each part for the twenty, however many polls it took to notice.
    expect(reads.slots - before.slots).toBe(1);
    expect(reads.alarms - before.alarms).toBe(1);
    for (const page of pages) page.close();
  });

  it('reads only the log end while nothing happens, and tells nothing when what it shows did not change', async () => {
    const page = await openLive(harness.url);
    await waitFor(() => page.messages.some((m) => m.name === 'ready'), 'the stream to be ready');
    // Quiet polls: the latest seq only, never the overview.
    const quiet = { ...reads };
    await waitFor(() => reads.latestSeq >= quiet.latestSeq + 3, 'three quiet polls');
    expect([reads.slots, reads.alarms]).toEqual([quiet.slots, quiet.alarms]);

    // An event that changes nothing the overview shows: read once, told to no one.
    const unchanged = { ...reads };
    cabinet.record({ type: 'access.denied', data: { reason: 'unknown_card', card: '0000000001' } });
    await waitFor(() => reads.slots > unchanged.slots, 'the overview to be read after the event');
    await waitFor(() => reads.latestSeq >= unchanged.latestSeq + 3, 'two polls after it');
    expect(page.changes()).toEqual([]);
    expect(reads.slots - unchanged.slots).toBe(1);

    // An alarm changes it: told, with the alarm.
    cabinet.record({ type: 'door.forced', data: {} });
    await waitFor(() => page.changes().length === 1, 'the alarm to be told');
    expect(page.changes()[0]?.data.alarms.map((a) => a.type)).toEqual(['door.forced']);
    page.close();
  });

  it('gives a stream opened later the overview as last read, without reading it again', async () => {
    const early = await openLive(harness.url);
    await waitFor(() => early.messages.some((m) => m.name === 'ready'), 'the first stream ready');
    const before = { ...reads };
    const late = await openLive(harness.url);
    await waitFor(() => late.messages.some((m) => m.name === 'ready'), 'the late stream ready');
    const ready = late.messages.find((m) => m.name === 'ready');
    // Everything so far: the key taken in the first test and the alarm of the second.
    expect(ready?.data.slots[0]).toMatchObject({ slot: 1, status: 'out' });
    expect(ready?.data.alarms.map((a) => a.type)).toEqual(['door.forced']);
    expect(reads.slots - before.slots).toBe(0);
    early.close();
    late.close();
  });

  it('sends only what the overview routes send of each slot and alarm', async () => {
    const page = await openLive(harness.url);
    await waitFor(() => page.messages.some((m) => m.name === 'ready'), 'the stream to be ready');
    const ready = page.messages.find((m) => m.name === 'ready');
    const slots = (await (await fetch(`${harness.url}/api/overview/slots`)).json()) as unknown[];
    const alarms = (await (await fetch(`${harness.url}/api/alarms`)).json()) as unknown[];
    expect(ready?.data.slots).toEqual(slots);
    expect(ready?.data.alarms).toEqual(alarms);
    page.close();
  });
});
