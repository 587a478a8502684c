import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebConsole, webConsoleParts } from '../../src/cli/commands/web.js';
import { loadConfig } from '../../src/config/config.js';
import { loadProfile } from '../../src/config/profile.js';
import { hardwareDir } from '../../src/paths.js';
import { createLogger } from '../../src/log/logger.js';
import type { WebModule } from '../../src/web/create-web-server.js';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';
import { NotifySocket } from '../support/notify-socket.js';
import { testCerts } from '../support/tls-certs.js';
import { WebProcess } from '../support/web-process.js';

/**
 * The console as it runs on a cabinet: the daemon and `keywarden web` as two processes, the
 * console reaching the daemon only through the custodian socket as the delegate `web-console`
 * (the Unix user running the tests). A web user's change is recorded under their name and the
 * delegate's; the console outlives a restart of the daemon; it refuses plain HTTP off loopback.
 */
let daemon: DaemonProcess;
let files: ReturnType<typeof writeCabinetFiles>;

/** A config for this cabinet with `web` (and anything else) changed. */
function configWith(name: string, change: (config: Record<string, unknown>) => void): string {
  const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as Record<string, unknown>;
  change(config);
  const file = join(files.dir, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

beforeAll(async () => {
  files = writeCabinetFiles({
    cabinetId: 'web-cab',
    brokerUrl: 'mqtt://127.0.0.1:1',
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as {
    custodians: { accounts: unknown };
    web?: unknown;
  };
  config.custodians.accounts = {
    [userInfo().username]: { account: 'web-console', role: 'custodian', delegate: true },
  };
  config.web = { host: '127.0.0.1', port: 0, accountsDatabase: join(files.dir, 'web.db') };
  writeFileSync(files.configFile, JSON.stringify(config));
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
}, 30_000);

afterAll(async () => {
  await daemon?.stop();
});

function holderActors(): Array<{ name: string; account: string }> {
  const db = new BetterSqlite3(files.database, { readonly: true });
  try {
    return (
      db.prepare("SELECT payload FROM events WHERE type = 'holder.added' ORDER BY seq").all() as {
        payload: string;
      }[]
    ).map((r) => {
      const { data } = JSON.parse(r.payload) as {
        data: { name: string; actor: { account: string } };
      };
      return { name: data.name, account: data.actor.account };
    });
  } finally {
    db.close();
  }
}

describe('keywarden web, its own process', () => {
  it('serves the console, says READY to systemd, and stops cleanly on SIGTERM', async () => {
    const notify = new NotifySocket(files.dir);
    await notify.start();
    const web = new WebProcess(files.configFile, { NOTIFY_SOCKET: notify.path });
    try {
      const url = await web.url();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
      // Nobody is signed in: the API answers 401, and a route that does not exist 404.
      expect((await fetch(`${url}/api/cabinet`)).status).toBe(401);
      expect((await fetch(`${url}/api/holders-of-nobody`)).status).toBe(404);
      await expect.poll(() => notify.with('READY=1').length).toBe(1);
      expect(await web.stop('SIGTERM')).toBe(0);
      expect(web.logs.map((l) => l.msg)).toContain('web console stopped');
      expect(notify.with('STOPPING=1')).toHaveLength(1);
    } finally {
      await web.stop('SIGKILL');
      notify.close();
    }
  }, 20_000);

  it('refuses plain HTTP off the loopback address, a certificate without its key, a proxy by name (exit 78)', async () => {
    const cases: Array<[string, (web: Record<string, unknown>) => void, RegExp]> = [
      ['public.json', (web) => (web.host = '0.0.0.0'), /web\.host: 0\.0\.0\.0 is not a loopback/],
      ['lan.json', (web) => (web.host = '192.168.1.20'), /plain HTTP would send passwords/],
      [
        'half-tls.json',
        (web) => (web.tlsCert = testCerts().serverCert),
        /web\.tlsKey: is required/,
      ],
      [
        'proxy-name.json',
        (web) => (web.trustProxy = ['proxy.lan']),
        /web\.trustProxy\[0\]: "proxy\.lan" is not an IP address/,
      ],
    ];
    await Promise.all(
      cases.map(async ([name, change, message]) => {
        const file = configWith(name, (config) => change(config.web as Record<string, unknown>));
        const web = new WebProcess(file);
        expect(await web.exited).toBe(78);
        expect(web.stderr.join('\n')).toMatch(message);
      }),
    );
  }, 20_000);

  it('serves HTTPS with the configured certificate', async () => {
    const certs = testCerts();
    const file = configWith('tls.json', (config) => {
      Object.assign(config.web as object, { tlsCert: certs.serverCert, tlsKey: certs.serverKey });
    });
    const web = new WebProcess(file);
    try {
      const url = await web.url();
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = httpsRequest(`${url}/`, { ca: readFileSync(certs.ca) }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
    } finally {
      await web.stop();
    }
  }, 20_000);
});

describe("a web user's change, through the console's way to the daemon", () => {
  /** Stands in for the console's pages: one change, made as the signed-in person. */
  const addHolder =
    (clientFor: Parameters<typeof webConsoleParts>[2]): WebModule =>
    (app) => {
      app.post(
        '/api/test/holders',
        {
          config: { access: 'custodian' },
          schema: { body: Type.Object({ name: Type.String() }, { additionalProperties: false }) },
        },
        async (request) => {
          const { name } = request.body as { name: string };
          const user = request.webUser!;
          return { holderId: await clientFor(user).holders.add(name, {}) };
        },
      );
    };

  it('is recorded under the web user and the delegate, and waits out a daemon restart', async () => {
    const config = loadConfig(files.configFile);
    const running = await startWebConsole({
      config,
      profile: loadProfile(config.profile, hardwareDir()),
      logger: createLogger({ level: 'silent', pretty: false }),
      // Signed in as alice (the sign-in is tested on its own): what a session gives the routes.
      parts: (clientFor) => ({
        authenticate: () => ({ account: 'alice', role: 'admin' }),
        modules: [addHolder(clientFor)],
      }),
    });
    const add = (name: string) =>
      fetch(`${running.url}/api/test/holders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
    try {
      expect((await add('Dana Web')).status).toBe(200);
      // The delegate is a custodian: alice's admin is a custodian's here.
      expect(holderActors()).toContainEqual({ name: 'Dana Web', account: 'alice@web-console' });

      await daemon.stop();
      const down = await add('While Down');
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({
        error: 'DAEMON_UNAVAILABLE',
        message: expect.stringContaining('the cabinet daemon is not running') as string,
      });

      await daemon.start();
      expect((await add('After Restart')).status).toBe(200);
      expect(holderActors().map((a) => a.name)).toEqual(['Dana Web', 'After Restart']);
    } finally {
      await running.close();
    }
  }, 30_000);
});
