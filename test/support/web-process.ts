import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLI, type LogLine } from './daemon-process.js';

/**
 * `keywarden web` as a child process, as systemd runs it (the built CLI): its JSON log lines
 * collected so a test waits for "web console listening" instead of sleeping.
 */
export class WebProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  private readonly waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(configFile: string, env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [CLI, 'web', '--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        this.logs.push({ level: 50, msg: line });
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      for (const wake of this.waiters.splice(0)) wake();
    });
    // 'close', not 'exit': 'exit' can come before the last lines of its output have been read,
    // and a test that checks what it printed at exit would then see nothing.
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** The first log line passing `test`; rejects if the process exits first. */
  async waitForLog(test: (l: LogLine) => boolean): Promise<LogLine> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const found = this.logs.find(test);
      if (found) return found;
      if (exited || this.child.exitCode !== null) {
        throw new Error(
          `keywarden web exited:\n${[...this.stderr, ...this.logs.map((l) => l.msg)].join('\n')}`,
        );
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Where it listens, from its own log line. */
  async url(): Promise<string> {
    return String((await this.waitForLog((l) => l.msg === 'web console listening')).url);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return await this.exited;
  }
}
