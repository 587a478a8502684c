import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The nice value given to the process's other threads: the lowest priority there is, so they
 * run on CPU time the main thread does not want.
 */
export const BACKGROUND_NICE = 19;

export interface ThreadControl {
  /** The process's thread ids (Linux: /proc/self/task), main thread included. */
  threads(): number[];
  /** The main thread's id (its thread id is the process id). */
  mainThread: number;
  /** setpriority(2) on one thread; Linux keeps a nice value per thread. */
  setNice(thread: number, nice: number): void;
}

export interface YieldResult {
  /** Threads now at BACKGROUND_NICE. */
  lowered: number;
  /** Threads the kernel (or the unit's system-call filter) refused, with its reason. */
  refused: Array<{ thread: number; reason: string }>;
}

const linuxThreads: ThreadControl = {
  threads: () => readdirSync('/proc/self/task').map(Number),
  mainThread: process.pid,
  setNice: (thread, nice) => setPriority(thread, nice),
};

/**
 * Lowers every thread of the process but the main one to nice 19.
 *
 * Why: the main thread is the one that takes a badge from its reader to the solenoid, and the
 * others are V8's helpers (its background compiler and garbage-collector helpers) and libuv's
 * pool. On a two-core machine the badge benchmark showed the tail of the badge latency made by
 * V8's optimising compiler: it compiles the functions a badge has just made hot, for the first
 * thousands of badges of a daemon's life (3–10 ms a function), on a helper thread at the main
 * thread's priority, so the badge waited for a CPU (perf sched: 2–3 ms runnable, the compiler on
 * the other core). At nice 19 a helper still runs whenever a core is free and nothing is lost;
 * the main thread just goes first. Threads made later by the main thread inherit its nice value
 * (0): only those alive now are lowered, and at start-up those are V8's and libuv's pool.
 *
 * Raising a nice value needs no privilege. A refusal (the unit's system-call filter, a kernel
 * without per-thread nice) changes nothing else and is reported, not thrown: the daemon works
 * the same, only its badge latency's tail is longer on a busy machine.
 */
export function yieldBackgroundThreads(
  control: ThreadControl | null = defaultControl(),
): YieldResult {
  const result: YieldResult = { lowered: 0, refused: [] };
  if (control === null) return result;
  let threads: number[];
  try {
    threads = control.threads();
  } catch (err) {
    return { lowered: 0, refused: [{ thread: control.mainThread, reason: reasonOf(err) }] };
  }
  for (const thread of threads) {
    if (thread === control.mainThread || !Number.isInteger(thread)) continue;
    try {
      control.setNice(thread, BACKGROUND_NICE);
      result.lowered += 1;
    } catch (err) {
      // A thread that ended between the listing and now (ESRCH) is not a refusal.
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') continue;
      result.refused.push({ thread, reason: reasonOf(err) });
    }
  }
  return result;
}

/** /proc/self/task exists only on Linux; elsewhere nothing is changed. */
function defaultControl(): ThreadControl | null {
  return process.platform === 'linux' ? linuxThreads : null;
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}
