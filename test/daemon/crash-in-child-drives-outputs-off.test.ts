import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DaemonProcess,
  simPost,
  writeCabinetFiles,
  type LogLine,
} from '../support/daemon-process.js';
import { ALICE, seedCabinet } from '../support/seed.js';

const FAULT = join(import.meta.dirname, '..', 'support', 'crash-on-signal.mjs');

/**
 * The built daemon, as systemd runs it, crashed mid-session by an injected fault: every output
 * that was on is written off before the process exits, by the crash guard (the orderly stop
 * never runs). The simulated GPIO logs each write at debug level, so the log is the witness.
 */
describe('a daemon that crashes mid-session drives every output off before it exits', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  for (const kind of ['exception', 'rejection'] as const) {
    it(`on an unhandled ${kind}`, async () => {
      const files = writeCabinetFiles({
        cabinetId: `cab-crash-${kind}`,
        brokerUrl: 'mqtt://127.0.0.1:1',
        badgePath: 'sim:badge',
        fobPath: 'sim:fob',
      });
      cleanups.push(() => rmSync(files.dir, { recursive: true, force: true }));
      const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as {
        log: { level: string };
      };
      config.log.level = 'debug'; // the simulated GPIO logs every write at debug
      writeFileSync(files.configFile, JSON.stringify(config));
      seedCabinet(files.database, `cab-crash-${kind}`);

      const daemon = new DaemonProcess(files.configFile, { KEYWARDEN_TEST_CRASH: kind }, [
        '--import',
        FAULT,
      ]);
      cleanups.push(() => daemon.stop('SIGKILL'));
      await daemon.start();
      await simPost(daemon.simUrl(), '/badge', { card: ALICE });
      const written = (l: LogLine) => l.msg === 'output written';
      await daemon.waitForLog((l) => written(l) && l.name === 'door.lock' && l.on === true);
      await daemon.waitForLog((l) => written(l) && l.name === 'slot1.solenoid' && l.on === true);

      daemon.signal('SIGUSR2');
      expect(await daemon.exited()).toBe(1);

      const fatal = daemon.logs.findIndex(
        (l) => l.msg === 'unhandled error: outputs driven off, exiting',
      );
      expect(fatal).toBeGreaterThan(-1);
      // The guard did it, not the orderly stop.
      expect(daemon.logs.some((l) => l.msg === 'stopped')).toBe(false);
      // stdout arrives through a pipe the test reads line by line, and a line can come in a
      // little out of order around the exit: order by pino's own timestamp, up to the fatal one.
      const fatalTime = Number(daemon.logs[fatal]?.time);
      const writes = daemon.logs
        .filter((l) => written(l) && Number(l.time) <= fatalTime)
        .sort((a, b) => Number(a.time) - Number(b.time));
      const last = new Map<string, boolean>();
      for (const l of writes) last.set(String(l.name), !!l.on);
      expect(last.get('door.lock')).toBe(false);
      expect([...last].filter(([, on]) => on)).toEqual([]);
    });
  }
});
