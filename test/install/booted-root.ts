import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebianRoot, RunResult } from './debian-root.js';
import { waitFor } from '../support/wait-for.js';

const ROOT_ENV = [
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'LANG=C.UTF-8',
  // systemctl and journalctl print everything, never through a pager.
  'SYSTEMD_PAGER=',
  'SYSTEMD_COLORS=0',
];

export interface BootOptions {
  /** `systemd-nspawn --read-only`: the root as Raspberry Pi OS's overlay file system keeps it. */
  readOnly?: boolean;
  /** `--bind=` arguments, `HOST:CONTAINER`: the writable partition, the fake GPIO tree. */
  binds?: string[];
  /** `--tmpfs=` arguments: what stays writable in memory on a read-only root. */
  tmpfs?: string[];
}

/**
 * A DebianRoot booted with systemd as PID 1 by systemd-nspawn, the way a Pi boots its card:
 * the shipped units run under a real service manager. `--register=no --keep-unit`: this machine
 * has no systemd-machined to register with, and without `--keep-unit` nspawn fails ("Failed to
 * open system bus"). Commands run inside through nsenter into every namespace of its PID 1.
 */
export class BootedRoot {
  private constructor(
    readonly root: DebianRoot,
    private readonly nspawn: ChildProcess,
    /** The container's PID 1 (systemd) as the host numbers it. */
    readonly leader: number,
  ) {}

  static async boot(root: DebianRoot, options: BootOptions = {}): Promise<BootedRoot> {
    // The chroot's /proc, /sys and /dev (DebianRoot's) would sit under nspawn's own: detached
    // first. DebianRoot.close() unmounts whatever remains, and checks nothing is left.
    for (const point of ['dev/pts', 'dev', 'sys', 'proc']) {
      const where = join(root.dir, point);
      if (isMountPoint(where)) spawnSync('umount', [where]);
    }
    const args = [
      '-D',
      root.dir,
      '--register=no',
      '--keep-unit',
      '--console=pipe',
      '--quiet',
      // nspawn's own seccomp filter refuses bpf(2) by default; without it systemd inside skips
      // the device policy silently and every device stays open to the daemon.
      '--system-call-filter=bpf',
      ...(options.readOnly ? ['--read-only'] : []),
      ...(options.binds ?? []).map((bind) => `--bind=${bind}`),
      ...(options.tmpfs ?? []).map((path) => `--tmpfs=${path}`),
      '-b',
    ];
    const nspawn = spawn('systemd-nspawn', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The unified cgroup hierarchy (as on Raspberry Pi OS) even on a host that mounts the
      // legacy one: the units' DevicePolicy is a BPF program on their cgroup, which systemd
      // can attach only there.
      env: { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1' },
    });
    let output = '';
    const keep = (chunk: string) => (output = (output + chunk).slice(-20_000));
    nspawn.stdout?.setEncoding('utf8').on('data', keep);
    nspawn.stderr?.setEncoding('utf8').on('data', keep);
    let leader: number | undefined;
    try {
      await waitFor(
        () => {
          if (nspawn.exitCode !== null) {
            throw new Error(`systemd-nspawn exited (${nspawn.exitCode}): ${output}`);
          }
          leader = containerInit(nspawn.pid ?? -1);
          return leader !== undefined;
        },
        `systemd as PID 1 in ${root.dir}`,
        30_000,
      );
      const booted = new BootedRoot(root, nspawn, leader ?? 0);
      // `--wait` blocks until start-up is done: "running", or "degraded" when a unit that a
      // container cannot run failed (none of ours: the tests look at those themselves). Asked
      // again while systemd has not yet opened its bus ("Failed to connect to bus").
      let state = '';
      await waitFor(
        async () => {
          state = (await booted.run('systemctl is-system-running --wait')).stdout.trim();
          return state === 'running' || state === 'degraded';
        },
        'the container to finish booting',
        120_000,
      );
      return booted;
    } catch (error) {
      // Never leave a container running on a root that its caller is about to remove.
      nspawn.kill('SIGTERM');
      await stop(nspawn, leader);
      throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
    }
  }

  /** Shuts the container down as a Pi powers off, waiting until nspawn has exited. */
  async poweroff(): Promise<void> {
    if (this.nspawn.exitCode === null) await this.run('systemctl poweroff --no-block');
    await stop(this.nspawn, this.leader);
  }

  /** A shell command inside the running container, as root, with a clean environment. */
  run(command: string): Promise<RunResult> {
    const child = spawn('nsenter', [
      '-t',
      String(this.leader),
      '-a',
      '/usr/bin/env',
      '-i',
      ...ROOT_ENV,
      'bash',
      '-c',
      command,
    ]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    });
  }

  /** `systemctl show` of one unit's properties, as a record. */
  async show(unit: string, properties: string[]): Promise<Record<string, string>> {
    const out = await this.run(`systemctl show ${unit} -p ${properties.join(',')}`);
    const entries = out.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
    return Object.fromEntries(entries) as Record<string, string>;
  }
}

/**
 * Waits up to 30 s for nspawn to end (after a poweroff, or SIGTERM: nspawn then asks the
 * container's systemd to power off), then kills the container's PID 1, which ends every
 * process in it, and nspawn with it.
 */
async function stop(nspawn: ChildProcess, leader: number | undefined): Promise<void> {
  if (nspawn.exitCode !== null || nspawn.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => nspawn.once('exit', () => resolve()));
  try {
    await waitFor(() => nspawn.exitCode !== null, 'the container to power off', 30_000);
  } catch {
    if (leader !== undefined) process.kill(leader, 'SIGKILL');
    nspawn.kill('SIGKILL');
  }
  await exited;
}

/** The host's PID of the container's systemd: nspawn's child, and PID 1 in its namespace. */
function containerInit(nspawn: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (/^PPid:\s+(\d+)$/m.exec(status)?.[1] !== String(nspawn)) continue;
      const nsPid = /^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/);
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (nsPid?.at(-1) === '1' && nsPid.length > 1 && comm === 'systemd') return Number(entry);
    } catch {
      // The process ended meanwhile.
    }
  }
  return undefined;
}

function isMountPoint(path: string): boolean {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[1] === path);
}
