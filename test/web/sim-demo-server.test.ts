import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonProcess } from '../support/daemon-process.js';
import { accepts, freePort } from '../support/ports.js';

/**
 * The demo's web server as a service of `keywarden run --demo`: an accessory, like the
 * simulator's control interface, that never keeps the cabinet from running, and never serves
 * the simulator page anywhere but the loopback address.
 */
let daemon: DaemonProcess | undefined;
let dir: string | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  blocker = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function demo(web: { host: string; port: number }): Promise<DaemonProcess> {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-demo-web-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      cabinetId: 'demo-web',
      profile: 'sim',
      database: join(dir, 'demo.db'),
      mqtt: { url: 'mqtt://127.0.0.1:1', allowPlainText: true },
      sim: { host: '127.0.0.1', port: 0 },
      web,
    }),
  );
  daemon = new DaemonProcess(config, {}, [], ['--demo']);
  await daemon.start();
  return daemon;
}

describe('the demo web server', () => {
  it('carries on without it when its port is taken, and says so', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    const running = await demo({ host: '127.0.0.1', port });
    const line = await running.waitForLog((l) => l.msg === 'web server not started');
    expect(line).toMatchObject({ host: '127.0.0.1', port });
    // The cabinet itself runs: its simulator answers.
    expect((await fetch(`${running.simUrl()}state`)).status).toBe(200);
  });

  it('is not started on an address other than loopback', async () => {
    const port = await freePort();
    const running = await demo({ host: '0.0.0.0', port });
    await running.waitForLog(
      (l) => l.msg === 'web server not started: the demo serves on a loopback address only',
    );
    expect(await accepts(port)).toBe(false);
    expect(running.logs.some((l) => l.msg === 'web server listening')).toBe(false);
  });

  it('stops at once with a page still watching the stream', async () => {
    const running = await demo({ host: '127.0.0.1', port: 0 });
    const url = String((await running.waitForLog((l) => l.msg === 'web server listening')).url);
    const stream = await new Promise<{ end: Promise<void> }>((resolve, reject) => {
      const req = httpRequest(`${url}api/sim/stream`, (res) => {
        expect(res.statusCode).toBe(200);
        resolve({ end: new Promise((done) => res.on('close', () => done())) });
      });
      req.once('error', reject);
      req.end();
    });
    expect(await running.stop()).toBe(0);
    await stream.end;
    const stopProblems = running.logs.filter(
      (l) =>
        l.msg === 'service did not stop in time; stopping the next' ||
        l.msg === 'service failed to stop',
    );
    expect(stopProblems).toEqual([]);
  });
});
