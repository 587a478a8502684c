import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { SdNotify } from '../../src/platform/sd-notify.js';

function recorder(fail = false) {
  const calls: string[][] = [];
  const spawn = (args: readonly string[]) => {
    calls.push([...args]);
    return fail ? Promise.reject(new Error('boom')) : Promise.resolve();
  };
  return { calls, spawn };
}

const base = { pid: 4242, logger: silentLogger() };

describe('SdNotify', () => {
  it('does not exist without NOTIFY_SOCKET: nothing can be sent outside systemd', () => {
    const { spawn } = recorder();
    expect(SdNotify.fromEnvironment({ ...base, env: {}, spawn })).toBeUndefined();
    expect(
      SdNotify.fromEnvironment({ ...base, env: { NOTIFY_SOCKET: '' }, spawn }),
    ).toBeUndefined();
  });

  it('sends READY=1, WATCHDOG=1 and STOPPING=1 with our pid as MAINPID', async () => {
    const { calls, spawn } = recorder();
    const notify = SdNotify.fromEnvironment({ ...base, env: { NOTIFY_SOCKET: '/run/x' }, spawn })!;
    await notify.ready();
    await notify.watchdog();
    await notify.stopping();
    expect(calls).toEqual([
      ['--ready', '--pid=4242'],
      ['--pid=4242', 'WATCHDOG=1'],
      ['--pid=4242', 'STOPPING=1'],
    ]);
  });

  it('pings the watchdog at half of WATCHDOG_USEC', () => {
    const env = { NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '20000000' };
    expect(SdNotify.fromEnvironment({ ...base, env })!.watchdogIntervalMs).toBe(10_000);
    const own = { ...env, WATCHDOG_PID: '4242' };
    expect(SdNotify.fromEnvironment({ ...base, env: own })!.watchdogIntervalMs).toBe(10_000);
  });

  it('has no watchdog without WATCHDOG_USEC, with a bad one, or when WATCHDOG_PID is another process', () => {
    for (const extra of [
      {},
      { WATCHDOG_USEC: '0' },
      { WATCHDOG_USEC: 'soon' },
      { WATCHDOG_USEC: '20000000', WATCHDOG_PID: '1' },
    ]) {
      const env = { NOTIFY_SOCKET: '/run/x', ...extra };
      expect(SdNotify.fromEnvironment({ ...base, env })!.watchdogIntervalMs).toBeUndefined();
    }
  });

  it('never throws when systemd-notify fails', async () => {
    const { calls, spawn } = recorder(true);
    const notify = SdNotify.fromEnvironment({ ...base, env: { NOTIFY_SOCKET: '/run/x' }, spawn })!;
    await expect(notify.ready()).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
  });
});
