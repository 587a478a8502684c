import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServiceManagerLink } from '../../src/daemon/service-manager.js';
import { silentLogger } from '../../src/log/logger.js';

/** A link with a recording spawner and a monotonic clock the test moves. */
function link(env: NodeJS.ProcessEnv) {
  const sent: string[] = [];
  let now = 0;
  const manager = new ServiceManagerLink({
    logger: silentLogger(),
    env,
    pid: 77,
    now: () => now,
    spawn: (args) => {
      sent.push(args.filter((a) => !a.startsWith('--pid=')).join(' '));
      return Promise.resolve();
    },
  });
  return {
    manager,
    sent,
    /** Lets time pass: the tick loop beats every 100 ms unless `stalled`. */
    run: async (ms: number, stalled = false) => {
      for (let t = 0; t < ms; t += 100) {
        now += 100;
        if (!stalled) manager.tick();
        await vi.advanceTimersByTimeAsync(100);
      }
    },
  };
}

const WATCHED = { NOTIFY_SOCKET: '/run/notify', WATCHDOG_USEC: '2000000' };

describe('ServiceManagerLink', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends nothing at all without NOTIFY_SOCKET', async () => {
    const { manager, sent, run } = link({ WATCHDOG_USEC: '2000000' });
    manager.ready();
    await run(10_000);
    await manager.stopping();
    expect(sent).toEqual([]);
  });

  it('sends READY=1 once ready, then WATCHDOG=1 every half WATCHDOG_USEC, then STOPPING=1', async () => {
    const { manager, sent, run } = link(WATCHED);
    await run(5_000); // starting: no ping before READY=1
    expect(sent).toEqual([]);
    manager.ready();
    expect(sent).toEqual(['--ready']);
    await run(900);
    expect(sent).toEqual(['--ready']);
    await run(9_100); // 10 s since READY=1, at 1 s intervals
    expect(sent).toEqual(['--ready', ...Array<string>(10).fill('WATCHDOG=1')]);
    await manager.stopping();
    await run(5_000);
    expect(sent.at(-1)).toBe('STOPPING=1');
    expect(sent.filter((s) => s === 'WATCHDOG=1')).toHaveLength(10);
  });

  it('stops pinging while the tick loop is stalled, and resumes when it runs again', async () => {
    const { manager, sent, run } = link(WATCHED);
    manager.ready();
    await run(3_000);
    const before = sent.length;
    expect(before).toBe(1 + 3);
    await run(6_000, true); // the interval still fires; the cabinet loop does not
    // At most the ping due within one interval of the last tick goes out, then none.
    expect(sent.length - before).toBeLessThanOrEqual(1);
    const stalled = sent.length;
    await run(3_000);
    expect(sent.length - stalled).toBeGreaterThanOrEqual(2);
  });

  it('has no watchdog when systemd set none, but still reports readiness', async () => {
    const { manager, sent, run } = link({ NOTIFY_SOCKET: '/run/notify' });
    manager.ready();
    await run(10_000);
    expect(sent).toEqual(['--ready']);
  });
});
