import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { silentLogger, type Logger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { freePort } from './ports.js';
import { testConfig } from './test-config.js';
import { waitFor } from './wait-for.js';

/**
 * The demo daemon (simulated cabinet: Alice keys 1-6, Bob 5-10, Carol disabled) serving its
 * cabinet screen on a loopback port, as on the Pi; `sql` edits its database while it runs (a
 * PIN, a tier rule), as a custodian's change would.
 */
export interface ScreenDaemon {
  daemon: Daemon;
  /** http://127.0.0.1:<port> of the cabinet screen. */
  url: string;
  sql(statement: string, ...params: unknown[]): void;
  /** Ends the session in progress, if any (the door opened and closed), and waits for idle. */
  endSession(): Promise<void>;
  energised(): number[];
  stop(): Promise<void>;
}

export async function startScreenDaemon(
  options: {
    pickKeys?: boolean;
    /** screen.kioskUser: only that user's connections are answered. */
    kioskUser?: string;
    logger?: Logger;
  } = {},
): Promise<ScreenDaemon> {
  // The screen's port must be named (screen.port cannot be 0), so it is asked of the kernel and
  // released before the daemon binds it; another test process can take it in between. Then the
  // daemon is started again, afresh, on another port.
  for (let attempt = 1; ; attempt++) {
    const started = await startOnFreePorts(options);
    if (started.ok) return started.screen;
    if (attempt === 5 || !String(started.err).includes('EADDRINUSE')) throw started.err;
  }
}

async function startOnFreePorts(
  options: Parameters<typeof startScreenDaemon>[0] = {},
): Promise<{ ok: true; screen: ScreenDaemon } | { ok: false; err: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-screen-'));
  const database = join(dir, 'cabinet.db');
  const port = await freePort();
  const daemon = new Daemon({
    config: testConfig({
      cabinetId: options.pickKeys ? 'pick-cab' : 'screen-cab',
      database,
      mqtt: { url: `mqtt://127.0.0.1:${await freePort()}`, reconnectMs: 60_000 },
      sim: { host: '127.0.0.1', port: 0 },
      readers: { badgeQuietMs: 0 },
      cabinet: { pickKeysOnScreen: options.pickKeys === true },
      screen: {
        port,
        ...(options.kioskUser === undefined ? {} : { kioskUser: options.kioskUser }),
      },
    }),
    profile: loadProfile('sim', hardwareDir()),
    logger: options.logger ?? silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
    demo: true,
    tickMs: 20,
  });
  try {
    await daemon.start();
  } catch (err) {
    await daemon.stop().catch(() => undefined);
    return { ok: false, err };
  }
  const db = new BetterSqlite3(database);
  const screen: ScreenDaemon = {
    daemon,
    url: `http://127.0.0.1:${port}`,
    sql: (statement, ...params) => void db.prepare(statement).run(...params),
    async endSession() {
      if (daemon.runner.current.session || daemon.runner.current.pending) {
        daemon.runner.handle({ kind: 'entry_cancel' });
        daemon.runner.handle({ kind: 'door', open: true });
        daemon.runner.handle({ kind: 'door', open: false });
      }
      await waitFor(
        () => daemon.runner.current.session === null && daemon.runner.current.pending === null,
        'the session to end',
      );
    },
    energised: () => daemon.sim!.snapshot().slots.flatMap((s) => (s.solenoid ? [s.slot] : [])),
    async stop() {
      db.close();
      await daemon.stop();
    },
  };
  return { ok: true, screen };
}
