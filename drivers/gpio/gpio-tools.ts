import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The GPIO character device (/dev/gpiochipN) is driven through ioctls that plain Node cannot
 * issue, so the chardev driver runs libgpiod's own command-line tools (Debian package `gpiod`)
 * as child processes instead of loading a native addon. This file is the seam: the driver sees
 * only these interfaces, tests inject a fake that models the kernel's side.
 */

export type GpioToolName = 'gpiodetect' | 'gpioinfo' | 'gpioget' | 'gpioset' | 'gpiomon';

export interface ToolResult {
  /** Exit status; null when the tool could not be started or was killed. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the tool could not be started at all (ENOENT: package gpiod not installed). */
  error?: NodeJS.ErrnoException;
}

/** A long-running tool: `gpioset --interactive` holding an output, `gpiomon` watching an input. */
export interface ToolProcess {
  /** Hands a command to the tool's stdin. The bytes are in the pipe when this returns. */
  write(text: string): void;
  /** Closes stdin: an interactive gpioset applies what it has read, then releases and exits. */
  end(): void;
  kill(signal?: NodeJS.Signals): void;
  /** Called with each complete line the tool prints on stdout. */
  onLine(listener: (line: string) => void): void;
  /** Called once, when the tool has exited; stderr is what it said (its reason, when it failed). */
  onExit(listener: (status: number | null, stderr: string) => void): void;
}

export interface GpioTools {
  /** Runs a tool to completion. Synchronous: used at start-up only (detect, info, get). */
  run(tool: GpioToolName, args: readonly string[]): ToolResult;
  start(tool: GpioToolName, args: readonly string[]): ToolProcess;
}

/** Start-up look-ups are quick (a few ms); a hung tool must not hang the daemon's start. */
const RUN_TIMEOUT_MS = 5_000;

/**
 * util-linux's setpriv (Essential on Debian) sets a parent-death signal and then runs the tool:
 * a line holder must not outlive a daemon killed outside systemd (which would end it with the
 * unit's other processes anyway), or it would keep the line, at whatever level, for ever.
 */
const SETPRIV = '/usr/bin/setpriv';

/**
 * libgpiod's tools found on PATH (/usr/bin on Debian), or in `binDir` (tests put stand-ins
 * there to exercise the real pipes and exits).
 */
export function systemGpioTools(options: { binDir?: string; setpriv?: string } = {}): GpioTools {
  const command = (tool: GpioToolName) =>
    options.binDir === undefined ? tool : join(options.binDir, tool);
  const setpriv = options.setpriv ?? SETPRIV;
  const withParentDeath = existsSync(setpriv);
  return {
    run(tool, args) {
      const result = spawnSync(command(tool), args, {
        encoding: 'utf8',
        timeout: RUN_TIMEOUT_MS,
      });
      return {
        status: result.status,
        stdout: result.stdout ?? '',
        stderr: result.stderr ?? '',
        ...(result.error ? { error: result.error } : {}),
      };
    },
    start(tool, args) {
      return withParentDeath
        ? startTool(setpriv, ['--pdeathsig', 'TERM', '--', command(tool), ...args])
        : startTool(command(tool), args);
    },
  };
}

function startTool(tool: string, args: readonly string[]): ToolProcess {
  const child = spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lineListeners: Array<(line: string) => void> = [];
  const exitListeners: Array<(status: number | null, stderr: string) => void> = [];
  let stdoutBuffer = '';
  let stderr = '';
  let exited: { status: number | null } | undefined;

  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdoutBuffer += chunk;
    let newline = stdoutBuffer.indexOf('\n');
    while (newline >= 0) {
      const line = stdoutBuffer.slice(0, newline);
      stdoutBuffer = stdoutBuffer.slice(newline + 1);
      for (const listener of lineListeners) listener(line);
      newline = stdoutBuffer.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    // Bounded: only the reason for a failure is wanted, never an unbounded log.
    if (stderr.length < 4096) stderr += chunk;
  });
  // A tool that died leaves its stdin closed: a late write must not crash the daemon.
  child.stdin.on('error', () => undefined);
  const finish = (status: number | null) => {
    if (exited) return;
    exited = { status };
    for (const listener of exitListeners) listener(status, stderr.trim());
  };
  child.on('error', (error) => {
    stderr += error.message;
    finish(null);
  });
  child.on('close', (status) => finish(status));

  return {
    write(text) {
      // libuv writes to an empty pipe at once, inside this call: the command is in the kernel's
      // pipe buffer before write() returns, even when the process exits straight after.
      if (!exited && child.stdin.writable) child.stdin.write(text);
    },
    end() {
      if (child.stdin.writable) child.stdin.end();
    },
    kill(signal = 'SIGTERM') {
      if (!exited) child.kill(signal);
    },
    onLine(listener) {
      lineListeners.push(listener);
    },
    onExit(listener) {
      if (exited) listener(exited.status, stderr.trim());
      else exitListeners.push(listener);
    },
  };
}
