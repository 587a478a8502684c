import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BACKGROUND_NICE,
  yieldBackgroundThreads,
  type ThreadControl,
} from '../../src/platform/background-threads.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/** A process of `threads` whose setpriority answers as `answer` says (undefined: done). */
function fakeControl(
  threads: number[],
  answer: (thread: number) => string | undefined = () => undefined,
) {
  const set = new Map<number, number>();
  const control: ThreadControl = {
    threads: () => threads,
    mainThread: threads[0] ?? 0,
    setNice(thread, nice) {
      const code = answer(thread);
      if (code) throw errno(code);
      set.set(thread, nice);
    },
  };
  return { control, set };
}

/** Nice value of each of this process's threads, read from the kernel (field 19 of stat). */
function niceValues(): Map<number, number> {
  const values = new Map<number, number>();
  for (const task of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields are counted after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      values.set(Number(task), Number(fields[16]));
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return values;
}

describe('the helper threads yield to the main thread', () => {
  it('lowers every thread but the main one to nice 19', () => {
    const { control, set } = fakeControl([100, 101, 102, 107]);
    expect(yieldBackgroundThreads(control)).toEqual({ lowered: 3, refused: [] });
    expect([...set]).toEqual([
      [101, BACKGROUND_NICE],
      [102, BACKGROUND_NICE],
      [107, BACKGROUND_NICE],
    ]);
    expect(set.has(100)).toBe(false);
  });

  it('reports a refusal (the unit filtering setpriority) and lowers the others', () => {
    const { control, set } = fakeControl([100, 101, 102], (t) => (t === 101 ? 'EPERM' : undefined));
    expect(yieldBackgroundThreads(control)).toEqual({
      lowered: 1,
      refused: [{ thread: 101, reason: 'EPERM' }],
    });
    expect([...set.keys()]).toEqual([102]);
  });

  it('passes over a thread that ended between the listing and the call', () => {
    const { control } = fakeControl([100, 101, 102], (t) => (t === 102 ? 'ESRCH' : undefined));
    expect(yieldBackgroundThreads(control)).toEqual({ lowered: 1, refused: [] });
  });

  it('reports an unreadable thread list and changes nothing', () => {
    const control: ThreadControl = {
      threads: () => {
        throw errno('ENOENT');
      },
      mainThread: 1,
      setNice: () => {
        throw new Error('must not be called');
      },
    };
    expect(yieldBackgroundThreads(control)).toEqual({
      lowered: 0,
      refused: [{ thread: 1, reason: 'ENOENT' }],
    });
  });

  it('does nothing where there is no per-thread nice (not Linux)', () => {
    expect(yieldBackgroundThreads(null)).toEqual({ lowered: 0, refused: [] });
  });

  it.runIf(process.platform === 'linux')(
    "this process's helper threads go to nice 19 and its main thread keeps its priority",
    () => {
      const before = niceValues();
      const mainBefore = before.get(process.pid);
      expect(mainBefore).toBeDefined();
      // Node always runs V8's platform workers beside the main thread.
      expect(before.size).toBeGreaterThan(1);

      const result = yieldBackgroundThreads();

      expect(result.refused).toEqual([]);
      expect(result.lowered).toBeGreaterThanOrEqual(before.size - 1);
      const after = niceValues();
      expect(after.get(process.pid)).toBe(mainBefore);
      for (const [thread, nice] of after) {
        if (thread !== process.pid && before.has(thread)) expect(nice).toBe(BACKGROUND_NICE);
      }
    },
  );
});
