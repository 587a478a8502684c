import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DaemonProcess, writeCabinetFiles, type LogLine } from '../support/daemon-process.js';

/**
 * What the built daemon does first, seen from outside: the outputs go off before the slow
 * parts load (MQTT, the serial ports) and before the database opens; the pretty printer for
 * terminals never loads when stdout is not one (production: the journal). Order only: the
 * times are the start-up benchmark's business (bench/cabinet-ready.ts).
 */

const PROBE = join(import.meta.dirname, '..', 'support', 'module-load-probe.mjs');
const WATCHED = ['mqtt', 'serialport', 'pino-pretty'];

let daemon: DaemonProcess;

beforeAll(async () => {
  const files = writeCabinetFiles({
    cabinetId: 'order-cab',
    brokerUrl: 'mqtt://127.0.0.1:9',
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  daemon = new DaemonProcess(files.configFile, { KEYWARDEN_PROBE_MODULES: WATCHED.join(',') }, [
    '--import',
    PROBE,
  ]);
  await daemon.start();
}, 30_000);

afterAll(async () => {
  await daemon?.stop();
});

const loaded = (module: string): LogLine | undefined =>
  daemon.logs.find((l) => l.msg === 'module loaded' && l.module === module);

it('drives the outputs off before MQTT and the serial ports load, and before the database opens', () => {
  const outputsOff = daemon.logs.find((l) => l.msg === 'outputs claimed and off');
  expect(outputsOff).toBeDefined();
  const offAt = Number(outputsOff?.sinceStartMs);
  for (const module of ['mqtt', 'serialport']) {
    expect(loaded(module), `${module} loaded`).toBeDefined();
    expect(Number(loaded(module)?.atMs), `${module} after the outputs`).toBeGreaterThan(offAt);
  }
  const names = daemon.logs.map((l) => l.msg);
  expect(names.indexOf('outputs claimed and off')).toBeLessThan(names.indexOf('database open'));
});

it('never loads pino-pretty when stdout is not a terminal', () => {
  // 'cabinet ready' came after the logger was made: had pino-pretty loaded, the probe's line
  // (written synchronously) would be in by now.
  expect(daemon.logs.some((l) => l.msg === 'cabinet ready')).toBe(true);
  expect(loaded('pino-pretty')).toBeUndefined();
});

it('the probe does see pino-pretty load when a terminal asks for it', async () => {
  const logger = join(import.meta.dirname, '..', '..', 'dist', 'src', 'log', 'logger.js');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      PROBE,
      '--input-type=module',
      '-e',
      `const { createLogger } = await import(${JSON.stringify(logger)}); createLogger({ pretty: true });`,
    ],
    { env: { ...process.env, KEYWARDEN_PROBE_MODULES: 'pino-pretty' } },
  );
  expect(stdout).toContain('"module":"pino-pretty"');
});
