import { systemGpioTools, type GpioTools } from '../../drivers/gpio/gpio-tools.js';
import { spawnSync } from 'node:child_process';
import { readFileSync, statfsSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';

/**
 * Everything the doctor learns about the machine, as one injectable value: the tests build a
 * misconfigured machine in a temporary directory (a user without the group, a full disk, a
 * clock that is not synchronised) without needing one.
 */
export interface DoctorMachine {
  /** Who runs the doctor: the checks of groups and device modes are about this user. */
  user: { name: string; uid: number; gids: readonly number[] };
  /** A group's name from its id (/etc/group); undefined when unknown. */
  groupName(gid: number): string | undefined;
  /** The kernel's sysfs GPIO directory. */
  sysfsGpio: string;
  /** systemd-timesyncd's flag file, present once the clock was synchronised. */
  timesyncFlag: string;
  /** The doctor's own /proc/<pid>/status (NoNewPrivs, Seccomp). */
  procStatus: string;
  env: NodeJS.ProcessEnv;
  /** Runs a program and returns its outcome; `missing` when it is not installed. */
  run(command: string, args: readonly string[]): ProgramOutcome;
  /** Space on the filesystem holding `path`. */
  statfs(path: string): { freeBytes: number; totalBytes: number };
  /** How long the broker gets to answer a connect. */
  brokerTimeoutMs: number;
  /** How long OSDP readers get to answer (the tests shorten it); 9 s when unset. */
  readerWaitMs?: number;
  /** libgpiod's tools, for a profile on the chardev driver. */
  gpioTools: GpioTools;
}

export type ProgramOutcome = { missing: true } | { missing: false; code: number; stdout: string };

/** The machine the doctor runs on. */
export function realMachine(): DoctorMachine {
  const me = userInfo();
  const groups = readGroupFile('/etc/group');
  return {
    user: { name: me.username, uid: me.uid, gids: process.getgroups?.() ?? [me.gid] },
    groupName: (gid) => groups.get(gid),
    sysfsGpio: '/sys/class/gpio',
    timesyncFlag: '/run/systemd/timesync/synchronized',
    procStatus: '/proc/self/status',
    env: process.env,
    run: runProgram,
    statfs(path) {
      const s = statfsSync(path);
      // bavail: what an unprivileged process (the daemon) may still use, not root's reserve.
      return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    },
    brokerTimeoutMs: 5_000,
    gpioTools: systemGpioTools(),
  };
}

/** gid → name from an /etc/group file; an unreadable file yields an empty map. */
export function readGroupFile(file: string): Map<number, string> {
  const groups = new Map<number, string>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return groups;
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name && gid && /^\d+$/.test(gid)) groups.set(Number(gid), name);
  }
  return groups;
}

function runProgram(command: string, args: readonly string[]): ProgramOutcome {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 5_000 });
  const error: NodeJS.ErrnoException | undefined = result.error;
  if (error?.code === 'ENOENT') {
    return { missing: true };
  }
  return { missing: false, code: result.status ?? -1, stdout: result.stdout ?? '' };
}

/**
 * Whether `user` may read and write a file with these owner, group and mode bits, as the
 * kernel decides it (root may; else the owner's bits, else the group's, else the others').
 * Computed from the bits rather than access(2) so that it answers for the user the doctor is
 * told about, and so that the tests, which may run as root, see what a non-root user would.
 */
export function mayReadWrite(stat: Stats, user: DoctorMachine['user']): boolean {
  if (user.uid === 0) return true;
  const rw = 0o6;
  if (stat.uid === user.uid) return ((stat.mode >> 6) & rw) === rw;
  if (user.gids.includes(stat.gid)) return ((stat.mode >> 3) & rw) === rw;
  return (stat.mode & rw) === rw;
}

/** Whether `user` may create files in a directory with these bits (write and search). */
export function mayCreateIn(stat: Stats, user: DoctorMachine['user']): boolean {
  if (user.uid === 0) return true;
  const wx = 0o3;
  if (stat.uid === user.uid) return ((stat.mode >> 6) & wx) === wx;
  if (user.gids.includes(stat.gid)) return ((stat.mode >> 3) & wx) === wx;
  return (stat.mode & wx) === wx;
}
