import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';

/**
 * The nice value the helper threads go back to: an ordinary process's, the priority they would
 * have had if the daemon had not been given a higher one.
 */
export const HELPER_NICE = 0;

export interface ThreadControl {
  /** The process's thread ids (Linux: /proc/self/task), main thread included. */
  threads(): number[];
  /** The main thread's id (its thread id is the process id). */
  mainThread: number;
  /** getpriority(2) of one thread. */
  getNice(thread: number): number;
  /** setpriority(2) on one thread; Linux keeps a nice value per thread. */
  setNice(thread: number, nice: number): void;
  /**
   * Starts libuv's thread pool if nothing has yet: its threads are made all at once, at the
   * first piece of work queued to it, and inherit the nice value of the thread that queues it.
   * Node 20's ES module loader has started it before the daemon runs; a CommonJS entry or a
   * later loader may not have.
   */
  startPool(): Promise<void>;
}

export interface YieldResult {
  /** The main thread's nice value, as the service manager set it (the unit's `Nice=`); null when unreadable. */
  mainNice: number | null;
  /** Helper threads moved to HELPER_NICE. */
  yielded: number;
  /** Threads the kernel (or the unit's system-call filter) refused, with its reason. */
  refused: Array<{ thread: number; reason: string }>;
}

const linuxThreads: ThreadControl = {
  threads: () => readdirSync('/proc/self/task').map(Number),
  mainThread: process.pid,
  getNice: (thread) => getPriority(thread),
  setNice: (thread, nice) => setPriority(thread, nice),
  // An asynchronous stat is queued to the pool; whether it succeeds does not matter.
  startPool: () =>
    stat(process.execPath).then(
      () => undefined,
      () => undefined,
    ),
};

/**
 * Keeps a raised priority for the main thread alone: when the daemon was started with a
 * negative nice value (the unit's `Nice=-10`), every other thread of the process goes back to
 * nice 0. With an ordinary priority (0 or more: `npm start`, a test) nothing is changed.
 *
 * Why: the main thread is the one that takes a badge from its reader to the solenoid, and the
 * others are V8's helpers (its background compiler and garbage-collector helpers) and libuv's
 * pool. On a two-core machine the badge benchmark showed the tail of the badge latency made by
 * V8's optimising compiler: it compiles the functions a badge has just made hot, for the first
 * thousands of badges of a daemon's life (3–10 ms a function), on a helper thread at the main
 * thread's priority, so the badge waited for a CPU (perf sched: 2–3 ms runnable, the compiler on
 * the other core). With the main thread ahead of its helpers, the badge goes first.
 *
 * What it does not do: put the daemon ahead of other processes. A nice value ranks a thread
 * only within its scheduling group, and a systemd service has its own (its session's autogroup,
 * or its cgroup where the CPU controller is on, weighed by `CPUWeight=`).
 *
 * Why raise the main thread rather than lower the helpers below everyone (nice 19, tried first):
 * the main thread also waits on its helpers (a parallel scavenge, a serial port write on libuv's
 * pool). At nice 19, wherever other processes share the group (no autogroup, a test runner's
 * workers), any busy ordinary one would starve them and stall the main thread behind them. At 0
 * they compete like any thread, as they did before, and only the main thread is ahead.
 *
 * Threads made later by the main thread inherit its nice value; only those alive now are
 * changed: V8's platform workers and libuv's pool, started first (ThreadControl.startPool) and
 * only when there is a raised priority to give back. Raising a nice value back
 * to 0 needs no privilege. A refusal (the unit's system-call filter) changes nothing else and is
 * reported, not thrown: the daemon works the same, its helpers keep the main thread's -10.
 */
export async function yieldBackgroundThreads(
  control: ThreadControl | null = defaultControl(),
): Promise<YieldResult> {
  if (control === null) return { mainNice: null, yielded: 0, refused: [] };
  let mainNice: number;
  let threads: number[];
  try {
    mainNice = control.getNice(control.mainThread);
    if (mainNice >= HELPER_NICE) return { mainNice, yielded: 0, refused: [] };
    await control.startPool();
    threads = control.threads();
  } catch (err) {
    return {
      mainNice: null,
      yielded: 0,
      refused: [{ thread: control.mainThread, reason: reasonOf(err) }],
    };
  }
  const result: YieldResult = { mainNice, yielded: 0, refused: [] };
  for (const thread of threads) {
    if (thread === control.mainThread || !Number.isInteger(thread)) continue;
    try {
      control.setNice(thread, HELPER_NICE);
      result.yielded += 1;
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
