import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CARDS } from '../../src/daemon/demo-data.js';
import { startScreenDaemon, type ScreenDaemon } from '../support/screen-daemon.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The cabinet screen's routes on the daemon's loopback port, attacked by whoever can reach it:
 * a local process, or a web page in any browser on the Pi. Public by design; what they can do
 * is answer the session in progress, and nothing else.
 */
let cabinet: ScreenDaemon;
beforeAll(async () => {
  cabinet = await startScreenDaemon();
});
afterAll(() => cabinet?.stop());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${cabinet.url}/api/cabinet/input`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** node:http, because fetch will not send a Host header of the caller's choosing. */
function getWithHost(path: string, host: string): Promise<number> {
  const url = new URL(cabinet.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, headers: { host } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the cabinet screen routes', () => {
  it('the view is JSON with nothing of anyone while idle', async () => {
    const response = await fetch(`${cabinet.url}/api/cabinet/view`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ stage: 'idle', holderName: null, slots: [] });
  });

  it('bad input names the field and changes nothing', async () => {
    const before = cabinet.daemon.eventLog.recent(1_000).length;
    const cases: Array<[unknown, number, string]> = [
      [{ kind: 'digit', digit: 'a' }, 400, 'body/digit must match pattern'],
      [{ kind: 'pick' }, 400, 'body/slots is required for a pick'],
      [{ kind: 'pick', slots: [1.5] }, 400, 'body/slots/0 must be integer'],
      [{ kind: 'pick', slots: ['1'] }, 400, 'body/slots/0 must be integer'],
      [{ kind: 'grant', slots: [1] }, 400, 'body/kind'],
      [{ kind: 'cancel', holderId: 1 }, 400, 'must NOT have additional properties'],
      [{ kind: 'reason', code: "1' OR 1=1" }, 400, 'body/code must match pattern'],
      ['{"kind":', 400, ''],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(body);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { message: string }).message).toContain(message);
    }
    const plain = await fetch(`${cabinet.url}/api/cabinet/input`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"kind":"cancel"}',
    });
    // The one body a page of another origin can send without asking first: refused as well.
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { message: string }).message).toContain('body must be object');
    expect((await post({ kind: 'pick', slots: [1], pad: 'x'.repeat(4096) })).status).toBe(413);
    expect(cabinet.daemon.eventLog.recent(1_000).length).toBe(before);
  });

  it('attack: a page of another origin cannot post, nor one that rebinds its name to 127.0.0.1', async () => {
    const foreign = await post({ kind: 'cancel' }, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await getWithHost('/api/cabinet/view', 'evil.example')).toBe(421);
    expect(await getWithHost('/cabinet', 'evil.example:80')).toBe(421);
    expect(await getWithHost('/api/cabinet/view', `localhost:${new URL(cabinet.url).port}`)).toBe(
      200,
    );
  });

  it('attack: with nobody at the cabinet an input opens nothing; a flood is answered 429', async () => {
    const before = cabinet.daemon.eventLog.recent(1_000).length;
    const picked = await post({ kind: 'pick', slots: [1] });
    expect(picked.status).toBe(409);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await post({ kind: 'cancel' })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(30);
    expect(cabinet.energised()).toEqual([]);
    expect(cabinet.daemon.eventLog.recent(1_000).length).toBe(before);
  });

  it('the stream sends the view at once and on each change; past the bound the oldest stream ends', async () => {
    await waitFor(() => cabinet.daemon.screen.budget() >= 20, 'the input budget to refill');
    const controller = new AbortController();
    const stream = await fetch(`${cabinet.url}/api/cabinet/stream`, { signal: controller.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader: ReadableStreamDefaultReader<Uint8Array> = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += decoder.decode((await reader.read()).value);
    };
    await until(/"stage":"idle"/);
    cabinet.daemon.sim!.badge(DEMO_CARDS.alice);
    await until(/"holderName":"Alice Example"/);
    // Seven more fill the bound; a ninth is answered, and the oldest (the first) ends: a kiosk
    // page loaded anew does not lose to streams that older pages, or a stranger, left open.
    const others = await Promise.all(
      Array.from({ length: 8 }, () => new AbortController()).map(async (c) => ({
        c,
        response: await fetch(`${cabinet.url}/api/cabinet/stream`, { signal: c.signal }),
      })),
    );
    expect(others.map((o) => o.response.status)).toEqual(Array(8).fill(200));
    let ended = false;
    while (!ended) ended = (await reader.read()).done;
    for (const o of others) o.c.abort();
    controller.abort();
    await cabinet.endSession();
  });
});
