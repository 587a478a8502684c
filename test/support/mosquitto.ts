import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as deadline } from 'node:timers/promises';
import { accepts, freePort } from './ports.js';
import { waitFor } from './wait-for.js';

/**
 * A real Mosquitto broker per test file, on a free loopback port, in its own directory.
 * Tests talk to a real broker because the behaviours we rely on (retained messages, QoS 1
 * redelivery, persistence across a restart, last wills) are the broker's, not ours.
 */
export interface Broker {
  /** mqtt://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Holds mosquitto.conf, mosquitto.log and, with persistence, mosquitto.db. */
  dir: string;
  /** SIGTERM and wait for exit; with persistence, Mosquitto saves its state on the way out. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit: a crash, nothing saved since the last autosave. */
  kill(): Promise<void>;
  /** Stops if running, then starts again on the same port with the same directory. */
  restart(): Promise<void>;
  /**
   * SIGSTOP: a hung broker. Connections stay open and take what is sent, nothing is answered.
   * stop() and kill() still work (they continue it).
   */
  freeze(): void;
}

export interface MosquittoOptions {
  /** Keep retained messages and sessions in <dir>/mosquitto.db across restarts. */
  persistence?: boolean;
  /** Use this directory (created if missing, kept afterwards) instead of a temporary one. */
  dir?: string;
  /** Appended to the generated mosquitto.conf. */
  extraConfig?: string;
}

const MOSQUITTO = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 3;

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Broker> {
  installCleanup();
  const dir = options.dir ?? temporaryDir();
  mkdirSync(dir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const conf = writeConfig(dir, port, options);
    try {
      const running = await launch(conf, port, dir);
      return new MosquittoBroker(port, dir, conf, running);
    } catch (error) {
      // Another process may grab the port between our probe and Mosquitto's bind.
      const portTaken = String(error).includes('Address already in use');
      if (!portTaken || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

class MosquittoBroker implements Broker {
  readonly url: string;

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly conf: string,
    private running: Running | undefined,
  ) {
    this.url = `mqtt://127.0.0.1:${port}`;
  }

  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  freeze(): void {
    this.running?.child.kill('SIGSTOP');
  }

  async restart(): Promise<void> {
    await this.stop();
    this.running = await launch(this.conf, this.port, this.dir);
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    running.child.kill(signal);
    running.child.kill('SIGCONT'); // a frozen broker acts on the signal only once continued
    // Cancelled once the broker exits, so a finished run does not wait out the timer.
    const cancel = new AbortController();
    const timeout = deadline(STOP_TIMEOUT_MS, undefined, { signal: cancel.signal })
      .then(() => 'timeout' as const)
      .catch(() => 'exited' as const);
    const outcome = await Promise.race([running.exited, timeout]);
    cancel.abort();
    if (outcome === 'timeout') {
      running.child.kill('SIGKILL');
      await running.exited;
      throw new Error(`mosquitto did not exit within ${STOP_TIMEOUT_MS} ms of ${signal}`);
    }
  }
}

function writeConfig(dir: string, port: number, options: MosquittoOptions): string {
  const conf = join(dir, 'mosquitto.conf');
  const lines = [
    '# Written by test/support/mosquitto.ts',
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    // Started as root (CI), Mosquitto would switch to the "mosquitto" user, which cannot write
    // to our directory; naming the current user keeps it as it is. Ignored when not root.
    `user ${userInfo().username}`,
    `persistence ${options.persistence === true ? 'true' : 'false'}`,
    `persistence_location ${dir}/`,
    `log_dest file ${join(dir, 'mosquitto.log')}`,
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'connection_messages true',
    options.extraConfig ?? '',
    '',
  ];
  writeFileSync(conf, lines.join('\n'));
  return conf;
}

/** Spawns Mosquitto and resolves once its port accepts a TCP connection. */
async function launch(conf: string, port: number, dir: string): Promise<Running> {
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
    // A failed spawn (ENOENT) emits 'error' and no 'exit'.
    child.once('error', (error) => {
      exitReason = `failed to start: ${error.message}`;
      resolve();
    });
  });
  const running = { child, exited };
  liveProcesses.add(running);
  // `exited` only ever resolves (on exit or on a failed start).
  void exited.then(() => liveProcesses.delete(running));

  let accepting = false;
  await waitFor(
    async () => exitReason !== undefined || (accepting = await accepts(port)),
    'mosquitto to accept connections',
    START_TIMEOUT_MS,
  ).catch(() => undefined); // a timeout is reported below, with the broker's output
  if (accepting) return running;
  if (exitReason === undefined) {
    child.kill('SIGKILL');
    await exited;
    exitReason = `did not accept connections within ${START_TIMEOUT_MS} ms`;
  }
  throw new Error(
    `mosquitto (${MOSQUITTO} -c ${conf}) on port ${port} ${exitReason}\n` +
      `--- output ---\n${output}\n--- ${join(dir, 'mosquitto.log')} (tail) ---\n${logTail(dir)}`,
  );
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, 'mosquitto.log'), 'utf8').slice(-2000);
  } catch {
    return '(no log file)';
  }
}

// --- Never leak a broker ----------------------------------------------------------------
// Tests should stop their brokers in afterAll/afterEach; this is the backstop for a test that
// fails before it gets there, or a worker that is torn down (vitest ends fork workers with
// SIGTERM, which skips 'exit' handlers unless a signal handler is installed).

const liveProcesses = new Set<Running>();
const temporaryDirs = new Set<string>();
let cleanupInstalled = false;

function temporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-mosquitto-'));
  temporaryDirs.add(dir);
  return dir;
}

function cleanup(): void {
  for (const { child } of liveProcesses) child.kill('SIGKILL');
  liveProcesses.clear();
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
  temporaryDirs.clear();
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanup();
      // Keep the signal's normal effect unless someone else has taken charge of it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
