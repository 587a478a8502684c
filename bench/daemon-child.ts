import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { hardwareDir, packageRoot } from '../src/paths.js';
import { serviceNodeFlags } from './service-node-flags.js';

export interface DaemonChildFiles {
  dir: string;
  database: string;
  brokerUrl: string;
  cabinetId: string;
  badgePath: string;
  fobPath: string;
}

/** What a benchmark may add to the plain daemon; none of it changes what the others get. */
export interface DaemonChildExtras {
  /** Top-level config sections set over the defaults written here (custodians, screen…). */
  config?: Record<string, unknown>;
  /** Node options after the unit's (an `--import` of a benchmark's probe). */
  nodeArgs?: string[];
  /** Opens a pipe on the child's fd 3, readable as `sideChannel` (a probe's output). */
  sideChannel?: boolean;
  /** Every line the daemon logs, as it comes (its JSON log). */
  onLogLine?: (line: string) => void;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * The built daemon (`keywarden run`) as a child process, as systemd runs it, with the unit's
 * node flags (service-node-flags.ts). Like test/support/daemon-process.ts, but found from the
 * package root, so it also works from dist/bench/ (that helper resolves paths relative to the
 * TypeScript sources).
 */
export class DaemonChild {
  private child: ChildProcess | undefined;
  private readonly configFile: string;

  constructor(
    files: DaemonChildFiles,
    private readonly extras: DaemonChildExtras = {},
  ) {
    this.configFile = writeConfig(files, extras.config ?? {});
  }

  /** The child's fd 3 when `sideChannel` was asked for, while it runs. */
  get sideChannel(): Readable | undefined {
    const stream = this.child?.stdio[3];
    return stream instanceof Readable ? stream : undefined;
  }

  /** The running child's process id; undefined before start and after exit. */
  get pid(): number | undefined {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  /**
   * Spawns the daemon (the pid is readable as soon as this returns) and resolves when it logs
   * "cabinet ready"; rejects if it exits first or takes longer than a minute.
   */
  start(): { ready: Promise<void> } {
    const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
    const child = spawn(
      process.execPath,
      [
        ...serviceNodeFlags(),
        ...(this.extras.nodeArgs ?? []),
        cli,
        'run',
        '--config',
        this.configFile,
        '--no-interactive',
      ],
      { stdio: ['ignore', 'pipe', 'pipe', ...(this.extras.sideChannel ? ['pipe' as const] : [])] },
    );
    this.child = child;
    const { stdout, stderr } = child;
    if (!stdout || !stderr) throw new Error('the daemon child has no output pipes');
    const tail: string[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the daemon was not ready within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      const onLine = (line: string) => {
        this.extras.onLogLine?.(line);
        tail.push(line);
        if (tail.length > 10) tail.shift();
        if (line.includes('"msg":"cabinet ready"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      createInterface({ input: stdout }).on('line', onLine);
      createInterface({ input: stderr }).on('line', onLine);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the daemon exited (${code ?? signal}):\n${tail.join('\n')}`));
      });
    });
    ready.catch(() => undefined);
    return { ready };
  }

  /** SIGTERM, as systemd stops it; resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
}

/** hardware/sim.json with the readers on the given ptys, and a config naming it. */
function writeConfig(files: DaemonChildFiles, extra: Record<string, unknown>): string {
  const profile = JSON.parse(readFileSync(join(hardwareDir(), 'sim.json'), 'utf8')) as {
    readers: { badge: { path: string }; fob: { path: string } };
  };
  profile.readers.badge.path = files.badgePath;
  profile.readers.fob.path = files.fobPath;
  const profileFile = join(files.dir, 'profile.json');
  writeFileSync(profileFile, JSON.stringify(profile, null, 2));
  const configFile = join(files.dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      cabinetId: files.cabinetId,
      profile: profileFile,
      database: files.database,
      mqtt: { url: files.brokerUrl, allowPlainText: true, reconnectMs: 300 },
      readers: { reopenIntervalMs: 200 },
      // Port 0: the simulator's control server must not collide with a running `npm start`.
      sim: { host: '127.0.0.1', port: 0 },
      log: { level: 'info' },
      ...extra,
    }),
  );
  return configFile;
}
