import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/**
 * The daemon as a child process, exactly as systemd runs it (the built CLI). Its JSON log
 * lines are collected so a test can wait for a moment ("cabinet ready") instead of sleeping.
 */
export class DaemonProcess {
  /** Log lines of the current run (cleared at each start). */
  logs: LogLine[] = [];
  private child: ChildProcess | undefined;
  private waiters: Array<{ test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  exitCode: number | null = null;
  /** Exits nobody asked for (stop() was not called): crashes, for the fault summary. */
  crashes = 0;
  /** How each unexpected exit ended: exit code or signal. */
  readonly crashReports: string[] = [];
  private stopping = false;

  /**
   * `env` is added to this process's environment (e.g. NOTIFY_SOCKET, WATCHDOG_USEC);
   * `nodeArgs` go before the script (e.g. `--import` of a test-only fault); `runArgs` after
   * `run` (e.g. `--demo`).
   */
  constructor(
    private readonly configFile: string,
    private readonly env: NodeJS.ProcessEnv = {},
    private readonly nodeArgs: string[] = [],
    private readonly runArgs: string[] = [],
  ) {}

  async start(): Promise<void> {
    this.exitCode = null;
    this.stopping = false;
    this.logs = [];
    const child = spawn(
      process.execPath,
      [
        ...this.nodeArgs,
        CLI,
        'run',
        '--config',
        this.configFile,
        '--no-interactive',
        ...this.runArgs,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...this.env },
      },
    );
    this.child = child;
    const onLine = (line: string) => {
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        parsed = { level: 50, msg: line };
      }
      this.logs.push(parsed);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(parsed)) return true;
        w.resolve(parsed);
        return false;
      });
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.on('exit', (code, signal) => {
      this.exitCode = code;
      if (this.stopping || this.child !== child) return;
      this.crashes += 1;
      const tail = this.logs.slice(-5).map((l) => JSON.stringify(l).slice(0, 300));
      this.crashReports.push(`exit ${code ?? signal}\n${tail.join('\n')}`);
    });
    // A daemon that dies while starting fails the start at once, with what it said.
    const died = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => {
        const tail = this.logs.slice(-10).map((l) => JSON.stringify(l));
        reject(
          new Error(`the daemon exited while starting (${code ?? signal}):\n${tail.join('\n')}`),
        );
      }),
    );
    died.catch(() => undefined);
    await Promise.race([this.waitForLog((l) => l.msg === 'cabinet ready', 15_000), died]);
    for (const reader of ['badge', 'fob']) {
      await Promise.race([
        this.waitForLog((l) => l.msg === 'reader online' && l.reader === reader, 5_000),
        died,
      ]);
    }
  }

  /**
   * The first log line of this run that passes `test`, seen already or still to come. With
   * `since` (a `logs.length` taken earlier), only lines logged after that moment count: the
   * daemon's answer to something the test did, not an older line alike.
   */
  waitForLog(test: (l: LogLine) => boolean, timeoutMs = 10_000, since = 0): Promise<LogLine> {
    const found = this.logs.slice(since).find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const tail = this.logs
          .slice(-10)
          .map((l) => JSON.stringify(l))
          .join('\n');
        reject(new Error(`daemon log line not seen within ${timeoutMs} ms; last lines:\n${tail}`));
      }, timeoutMs);
      this.waiters.push({
        test,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  /** The running child's process id (for /proc readings), or undefined when it is down. */
  get pid(): number | undefined {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
    return child.pid;
  }

  /** The simulator's control URL, from the daemon's own log line. */
  simUrl(): string {
    const line = this.logs.find((l) => l.msg === 'simulator control listening');
    if (!line) throw new Error('the daemon did not start its simulator');
    return String(line.url);
  }

  /** Sends a signal without waiting for anything. */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** Resolves with the exit code once the child has exited (at once if it has). */
  exited(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve(child?.exitCode ?? this.exitCode);
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return this.exitCode;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    return child.exitCode;
  }
}

/** A temp directory with a config and a profile whose readers are the given ptys. */
export function writeCabinetFiles(options: {
  cabinetId: string;
  brokerUrl: string;
  badgePath: string;
  fobPath: string;
  sessionSeconds?: number;
  /**
   * The reader's quiet time (default 300 ms): 0 lets a test present the same card again at
   * once as a new presentation, instead of waiting for the card to have left the field.
   */
  badgeQuietMs?: number;
}): { dir: string; configFile: string; database: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-e2e-'));
  const profile = JSON.parse(readFileSync(join(ROOT, 'hardware', 'sim.json'), 'utf8')) as {
    readers: { badge: { path: string }; fob: { path: string } };
  };
  profile.readers.badge.path = options.badgePath;
  profile.readers.fob.path = options.fobPath;
  writeFileSync(join(dir, 'profile.json'), JSON.stringify(profile, null, 2));
  const database = join(dir, 'cabinet.db');
  const config = {
    version: 1,
    cabinetId: options.cabinetId,
    profile: join(dir, 'profile.json'),
    database,
    mqtt: { url: options.brokerUrl, allowPlainText: true, reconnectMs: 300 },
    cabinet: { sessionSeconds: options.sessionSeconds ?? 15 },
    readers: {
      reopenIntervalMs: 200,
      ...(options.badgeQuietMs === undefined ? {} : { badgeQuietMs: options.badgeQuietMs }),
    },
    sim: { host: '127.0.0.1', port: 0 },
    log: { level: 'info' },
    // As on a cabinet: the command line reaches the running daemon through its socket, as
    // custodian carol (the Unix user running the tests).
    custodians: {
      socket: join(dir, 'custodian.sock'),
      accounts: { [userInfo().username]: { account: 'carol', role: 'admin' } },
    },
  };
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { dir, configFile, database };
}

export async function simPost(url: string, path: string, body: object = {}): Promise<unknown> {
  const response = await fetch(new URL(path, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json;
}
