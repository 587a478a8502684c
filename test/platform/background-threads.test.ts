import { spawnSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HELPER_NICE,
  yieldBackgroundThreads,
  type ThreadControl,
} from '../../src/platform/background-threads.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/**
 * A process of `threads` whose main thread is at `mainNice` and whose setpriority answers as
 * `answer` says (undefined: done).
 */
function fakeControl(
  threads: number[],
  mainNice: number,
  answer: (thread: number) => string | undefined = () => undefined,
) {
  const set = new Map<number, number>();
  const control: ThreadControl = {
    threads: () => threads,
    mainThread: threads[0] ?? 0,
    getNice: () => mainNice,
    startPool: () => Promise.resolve(),
    setNice(thread, nice) {
      const code = answer(thread);
      if (code) throw errno(code);
      set.set(thread, nice);
    },
  };
  return { control, set };
}

describe('the helper threads give up the priority the unit gave the daemon', () => {
  it('returns every thread but the main one to nice 0 when the main thread was raised', async () => {
    const { control, set } = fakeControl([100, 101, 102, 107], -10);
    expect(await yieldBackgroundThreads(control)).toEqual({
      mainNice: -10,
      yielded: 3,
      refused: [],
    });
    expect([...set]).toEqual([
      [101, HELPER_NICE],
      [102, HELPER_NICE],
      [107, HELPER_NICE],
    ]);
    expect(set.has(100)).toBe(false);
  });

  it('changes nothing at an ordinary or lowered priority (npm start, a test, Nice=5)', async () => {
    for (const nice of [0, 5, 19]) {
      const { control, set } = fakeControl([100, 101], nice);
      expect(await yieldBackgroundThreads(control)).toEqual({
        mainNice: nice,
        yielded: 0,
        refused: [],
      });
      expect(set.size).toBe(0);
    }
  });

  it('reports a refusal (the unit filtering setpriority) and moves the others', async () => {
    const { control, set } = fakeControl([100, 101, 102], -10, (t) =>
      t === 101 ? 'EPERM' : undefined,
    );
    expect(await yieldBackgroundThreads(control)).toEqual({
      mainNice: -10,
      yielded: 1,
      refused: [{ thread: 101, reason: 'EPERM' }],
    });
    expect([...set.keys()]).toEqual([102]);
  });

  it('passes over a thread that ended between the listing and the call', async () => {
    const { control } = fakeControl([100, 101, 102], -10, (t) => (t === 102 ? 'ESRCH' : undefined));
    expect(await yieldBackgroundThreads(control)).toEqual({
      mainNice: -10,
      yielded: 1,
      refused: [],
    });
  });

  it('reports an unreadable thread list or priority and changes nothing', async () => {
    const unreadable = (what: 'threads' | 'getNice'): ThreadControl => ({
      threads: () => {
        if (what === 'threads') throw errno('ENOENT');
        return [1, 2];
      },
      mainThread: 1,
      getNice: () => {
        if (what === 'getNice') throw errno('EPERM');
        return -10;
      },
      setNice: () => {
        throw new Error('must not be called');
      },
      startPool: () => Promise.resolve(),
    });
    expect(await yieldBackgroundThreads(unreadable('threads'))).toEqual({
      mainNice: null,
      yielded: 0,
      refused: [{ thread: 1, reason: 'ENOENT' }],
    });
    expect(await yieldBackgroundThreads(unreadable('getNice'))).toEqual({
      mainNice: null,
      yielded: 0,
      refused: [{ thread: 1, reason: 'EPERM' }],
    });
  });

  it('does nothing where there is no per-thread nice (not Linux)', async () => {
    expect(await yieldBackgroundThreads(null)).toEqual({ mainNice: null, yielded: 0, refused: [] });
  });
});

/**
 * A real node process started at nice `nice` (as systemd applies `Nice=`), which does what the
 * daemon does at start (yieldBackgroundThreads, which starts libuv's pool first), then gives the pool
 * more work, and reports the result and the kernel's nice value of each of its threads (field 19
 * of /proc/self/task/<tid>/stat, counted after the command name's last ')').
 */
function underNice(nice: number) {
  const built = join(
    import.meta.dirname,
    '..',
    '..',
    'dist',
    'src',
    'platform',
    'background-threads.js',
  );
  const script = `
    import { readdirSync, readFileSync } from 'node:fs';
    import { readFile } from 'node:fs/promises';
    import { scrypt } from 'node:crypto';
    const { yieldBackgroundThreads } = await import(${JSON.stringify(built)});
    const result = await yieldBackgroundThreads();
    // Work for libuv's pool after the yield: no new thread may appear at the raised priority.
    await readFile(process.execPath);
    await new Promise((resolve, reject) =>
      scrypt('pin', 'salt', 32, (err) => (err ? reject(err) : resolve())));
    const threads = {};
    for (const task of readdirSync('/proc/self/task')) {
      const stat = readFileSync('/proc/self/task/' + task + '/stat', 'utf8');
      threads[task] = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    }
    console.log(JSON.stringify({ pid: process.pid, result, threads }));`;
  // nice(1) adds to the caller's own nice value: the increment that reaches `nice` from ours.
  const increment = nice - getPriority(0);
  const run = spawnSync(
    'nice',
    ['-n', String(increment), process.execPath, '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as {
    pid: number;
    result: { mainNice: number; yielded: number; refused: unknown[] };
    threads: Record<string, number>;
  };
  const helpers = Object.entries(report.threads).filter(([tid]) => Number(tid) !== report.pid);
  return { ...report, main: report.threads[String(report.pid)], helpers };
}

describe.runIf(process.platform === 'linux')('in a real process', () => {
  it('started at nice -10 (the unit): the main thread stays at -10, every helper goes to 0', () => {
    // Raising a priority needs root, as systemd has when it applies Nice=; the tests run as root.
    expect(process.getuid?.()).toBe(0);
    const { result, main, helpers, threads } = underNice(-10);
    expect(main).toBe(-10);
    // V8's platform workers and libuv's pool of 4 run beside the main thread.
    expect(helpers.length).toBeGreaterThanOrEqual(5);
    // Every helper alive after more work for the pool was there at the yield, and is at 0.
    expect(result).toEqual({ mainNice: -10, yielded: helpers.length, refused: [] });
    expect(
      helpers.every(([, nice]) => nice === HELPER_NICE),
      JSON.stringify(threads),
    ).toBe(true);
  });

  it('started at an ordinary or lower priority: every thread keeps it', () => {
    for (const nice of [0, 5]) {
      const { result, main, helpers } = underNice(nice);
      expect(main).toBe(nice);
      expect(result).toEqual({ mainNice: nice, yielded: 0, refused: [] });
      expect(helpers.every(([, value]) => value === nice)).toBe(true);
    }
  });
});
