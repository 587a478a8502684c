import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';
import { ALICE, seedCabinet } from '../support/seed.js';

/**
 * A web page open in the custodian's browser reaches the simulator's loopback port: it can
 * send a cross-origin `text/plain` POST without a preflight (one answered 200 and badged a
 * card), and through DNS rebinding (a hostile name resolving to 127.0.0.1) read the state and
 * the event stream, `alarm.duress` included. Raw HTTP here, so the test sets Host and Origin
 * as a browser would.
 */
let daemon: DaemonProcess;
let dir: string;
let port: number;

beforeAll(async () => {
  const files = writeCabinetFiles({
    cabinetId: 'cab-sim-origin',
    brokerUrl: 'mqtt://127.0.0.1:1',
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  dir = files.dir;
  seedCabinet(files.database, 'cab-sim-origin');
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
  port = Number(new URL(daemon.simUrl()).port);
});

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const badge = JSON.stringify({ card: ALICE });
const own = () => ({ host: `127.0.0.1:${port}` });

describe("a web page cannot drive or watch the simulator from the custodian's browser", () => {
  it('a cross-origin text/plain POST /badge is refused 403 and no badge is presented', async () => {
    const since = daemon.logs.length;
    const result = await send(
      'POST',
      '/badge',
      { ...own(), origin: 'http://evil.example', 'content-type': 'text/plain;charset=UTF-8' },
      badge,
    );
    expect(result.status).toBe(403);
    expect(result.text).toContain('cross-origin requests are refused');
    await daemon.waitForLog((l) => l.msg === 'simulator request refused', 5_000, since);
    expect(daemon.logs.slice(since).some((l) => l.msg === 'access granted')).toBe(false);
  });

  it('a POST that is not JSON is refused 415, even without an Origin', async () => {
    const result = await send('POST', '/badge', { ...own(), 'content-type': 'text/plain' }, badge);
    expect(result.status).toBe(415);
  });

  it('a rebound host name is refused 403 for the state and the stream', async () => {
    for (const path of ['/state', '/stream']) {
      const result = await send('GET', path, { host: `rebind.evil.example:${port}` });
      expect(result.status, path).toBe(403);
      expect(result.text).toContain('only a loopback name is served');
    }
  });

  it('a program on this machine still drives it: loopback Host, no Origin or its own, JSON', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const json = { host, 'content-type': 'application/json' };
      expect((await send('POST', '/badge', json, badge)).status).toBe(200);
      const sameOrigin = { ...json, origin: `http://${host}` };
      expect((await send('POST', '/door', sameOrigin, '{"action":"close"}')).status).not.toBe(403);
      expect((await send('GET', '/state', { host })).status).toBe(200);
    }
  });
});
