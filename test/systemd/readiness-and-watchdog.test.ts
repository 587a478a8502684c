import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';
import { NotifySocket } from '../support/notify-socket.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The built daemon, the real systemd-notify and a real datagram socket standing in for systemd:
 * what systemd would hear from the service, in order.
 */
describe('readiness and watchdog over a real notify socket', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('has systemd-notify installed (.ci/run installs the systemd package)', () => {
    expect(execFileSync('systemd-notify', ['--version'], { encoding: 'utf8' })).toMatch(/systemd/);
  });

  it('sends READY=1 when up, WATCHDOG=1 at half WATCHDOG_USEC, STOPPING=1 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-notify-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const socket = new NotifySocket(dir);
    await socket.start();
    cleanups.push(() => socket.close());

    const files = writeCabinetFiles({
      cabinetId: 'cab-notify',
      // No broker: readiness must not wait for one.
      brokerUrl: 'mqtt://127.0.0.1:1',
      badgePath: 'sim:badge',
      fobPath: 'sim:fob',
    });
    cleanups.push(() => rmSync(files.dir, { recursive: true, force: true }));
    const daemon = new DaemonProcess(files.configFile, {
      NOTIFY_SOCKET: socket.path,
      WATCHDOG_USEC: '1000000', // a ping every 500 ms
    });
    cleanups.push(() => daemon.stop('SIGKILL'));
    await daemon.start();

    await waitFor(() => socket.with('READY=1').length === 1, 'READY=1', 10_000);
    const ready = socket.with('READY=1')[0]!;
    // The message comes from systemd-notify; MAINPID names the daemon for systemd.
    expect(ready.split('\n')).toContain(`MAINPID=${daemon.pid}`);
    expect(socket.with('WATCHDOG=1')).toEqual([]);
    expect(daemon.logs.filter((l) => l.msg === 'could not notify systemd')).toEqual([]);

    // Generous: 4 pings due in 2 s; CPU is shared on CI, so allow 6 s for 3 of them.
    await waitFor(() => socket.with('WATCHDOG=1').length >= 3, 'three WATCHDOG=1', 6_000);
    const first = socket.messages.findIndex((m) => m.split('\n').includes('WATCHDOG=1'));
    expect(first).toBeGreaterThan(socket.messages.indexOf(ready));
    expect(socket.with('STOPPING=1')).toEqual([]);

    expect(await daemon.stop('SIGTERM')).toBe(0);
    // The daemon waits for its systemd-notify, which waits for the receiver: the datagram is
    // in, though its printed line may still be on its way through the pipe.
    await waitFor(() => socket.with('STOPPING=1').length > 0, 'STOPPING=1', 5_000);
    expect(socket.with('STOPPING=1')).toHaveLength(1);
    const stopping = socket.messages.findIndex((m) => m.split('\n').includes('STOPPING=1'));
    expect(stopping).toBeGreaterThan(first);
    expect(daemon.logs.filter((l) => l.msg === 'could not notify systemd')).toEqual([]);
  });

  // Were systemd-notify run with an empty NOTIFY_SOCKET it would fail, and the daemon log it.
  it('starts and stops without trying to notify when NOTIFY_SOCKET is unset', async () => {
    const files = writeCabinetFiles({
      cabinetId: 'cab-no-notify',
      brokerUrl: 'mqtt://127.0.0.1:1',
      badgePath: 'sim:badge',
      fobPath: 'sim:fob',
    });
    cleanups.push(() => rmSync(files.dir, { recursive: true, force: true }));
    const daemon = new DaemonProcess(files.configFile, { NOTIFY_SOCKET: '', WATCHDOG_USEC: '' });
    cleanups.push(() => daemon.stop('SIGKILL'));
    await daemon.start();
    expect(await daemon.stop('SIGTERM')).toBe(0);
    expect(daemon.logs.filter((l) => l.msg === 'could not notify systemd')).toEqual([]);
  });
});
