import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, simPost, writeCabinetFiles } from '../support/daemon-process.js';
import { recordFaultOutcome } from '../support/fault-summary.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { ALICE, seedCabinet } from '../support/seed.js';
import { SimStream } from '../support/sim-stream.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The database on a filesystem that runs out of space: a 2 MiB tmpfs, filled by a file of
 * zeros. Mounting needs root (CI runs as root); anywhere else the scenario is skipped, and
 * says why.
 */
const CABINET = 'disk-full-cab';
const skipReason = whyNotRunnable();
if (skipReason) console.warn(`database-disk-full: skipped: ${skipReason}`);

interface EventRow {
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

describe.skipIf(skipReason !== null)('the database runs out of space', () => {
  let mount: string;
  let mounted = false;
  let broker: Broker;
  let daemon: DaemonProcess;
  let database: string;
  let filesDir: string;
  let watcher: MqttClient;
  let stream: SimStream;
  let alarms: Array<{ type: string }> = [];
  let released = 0;
  let eventsChecked = 0;

  beforeAll(async () => {
    mount = mkdtempSync(join(tmpdir(), 'keywarden-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
    mounted = true;
    broker = await startMosquitto();
    const files = writeCabinetFiles({
      cabinetId: CABINET,
      brokerUrl: broker.url,
      badgePath: 'sim:badge',
      fobPath: 'sim:fob',
    });
    filesDir = files.dir;
    database = join(mount, 'cabinet.db');
    const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as Record<string, unknown>;
    config.database = database;
    config.readers = { badgeQuietMs: 0, reopenIntervalMs: 200 };
    writeFileSync(files.configFile, JSON.stringify(config));
    seedCabinet(database, CABINET);
    watcher = await mqtt.connectAsync(broker.url);
    watcher.on('message', (_topic, payload) => {
      alarms = (JSON.parse(payload.toString()) as { alarms: Array<{ type: string }> }).alarms;
    });
    await watcher.subscribeAsync(`keywarden/v1/${CABINET}/alarms`);
    daemon = new DaemonProcess(files.configFile);
    await daemon.start();
    // Every output switching on, in order with the events recorded: what the cabinet did.
    stream = await SimStream.open(daemon.simUrl());
  }, 60_000);

  afterAll(async () => {
    await stream?.close();
    await watcher?.endAsync().catch(() => undefined);
    await daemon?.stop().catch(() => undefined);
    await broker?.stop().catch(() => undefined);
    // The mount goes whatever happened above; lazily if something still holds a file open.
    if (mounted) {
      try {
        execFileSync('umount', [mount]);
      } catch {
        execFileSync('umount', ['-l', mount]);
      }
    }
    if (mount) rmSync(mount, { recursive: true, force: true });
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  const badge = () => simPost(daemon.simUrl(), '/badge', { card: ALICE });
  const events = (afterSeq: number): EventRow[] => {
    const db = new BetterSqlite3(database, { readonly: true });
    try {
      return (
        db
          .prepare('SELECT seq, type, payload FROM events WHERE seq > ? ORDER BY seq')
          .all(afterSeq) as Array<{ seq: number; type: string; payload: string }>
      ).map((r) => ({
        seq: r.seq,
        type: r.type,
        data: (JSON.parse(r.payload) as { data: Record<string, unknown> }).data,
      }));
    } finally {
      db.close();
    }
  };
  const integrity = (): string => {
    const db = new BetterSqlite3(database, { readonly: true });
    try {
      return db.pragma('integrity_check', { simple: true }) as string;
    } finally {
      db.close();
    }
  };

  it('denies with reason storage, raises storage.full, releases nothing, and recovers when space returns', async () => {
    // Normal service first, then the session ends (door opened and closed).
    await badge();
    await waitFor(() => events(0).some((e) => e.type === 'access.granted'), 'a first grant');
    await simPost(daemon.simUrl(), '/door', { action: 'open' });
    await simPost(daemon.simUrl(), '/door', { action: 'close' });
    await waitFor(() => {
      const s = stream.lastState;
      return s !== null && !s.door.unlocked && !s.slots.some((slot) => slot.solenoid);
    }, 'the door and the slots locked again');
    const before = events(0).at(-1)!.seq;
    const releasesBefore = stream.releases.length;

    // Fill the filesystem to the last byte. SQLite's first casualty is the WAL, which must grow
    // for the next commit; the -shm index was sized at open and reads keep working.
    const filler = join(mount, 'filler');
    const fd = openSync(filler, 'w');
    try {
      const block = Buffer.alloc(64 * 1024);
      for (;;) writeSync(fd, block);
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    try {
      for (;;) writeSync(fd, Buffer.alloc(512)); // the tail smaller than a block
    } catch {
      // full
    } finally {
      closeSync(fd);
    }

    await badge();
    await daemon.waitForLog((l) => l.msg === 'the database refuses writes; nothing is released');
    await waitFor(() => alarms.some((a) => a.type === 'storage.full'), 'storage.full in alarms');
    await badge(); // a second denial while full
    expect(events(before)).toEqual([]); // nothing could be written
    expect(integrity()).toBe('ok');

    // Space returns: the outage is recorded and service resumes.
    rmSync(filler);
    await daemon.waitForLog((l) => l.msg === 'the database accepts writes again', 10_000);
    // The stream carries outputs and records in the daemon's order: anything switched on for
    // the two badges during the outage is on it before the outage's own record (storage.full,
    // recorded once space returned, counting both denials below).
    await waitFor(
      () => stream.events.some((e) => e.type === 'storage.full'),
      'the outage recorded on the stream',
    );
    released = stream.releases.length - releasesBefore;
    expect(stream.releases.slice(releasesBefore)).toEqual([]);
    await waitFor(() => alarms.length === 0, 'the alarms state to empty');
    const outage = events(before);
    expect(outage.map((e) => e.type)).toEqual([
      'storage.full',
      'access.denied',
      'access.denied',
      'alarm.cleared',
    ]);
    expect(outage[0]!.data).toMatchObject({ code: 'SQLITE_FULL', denials: 2, denialsDropped: 0 });
    expect(outage[1]!.data).toMatchObject({ reason: 'storage', card: '…F444' });
    expect(outage[3]!.data).toMatchObject({ alarm: 'storage.full' });

    await badge();
    await waitFor(
      () => events(outage.at(-1)!.seq).some((e) => e.type === 'access.granted'),
      'a grant after the outage',
    );
    expect(integrity()).toBe('ok');
    expect(daemon.exitCode).toBeNull();
    eventsChecked = outage.length + 1;

    recordFaultOutcome({
      scenario: 'database-disk-full',
      injections: 1,
      eventsChecked,
      eventsLost: 0,
      keysWronglyReleased: released,
      crashes: daemon.exitCode === null ? 0 : 1,
    });
  }, 60_000);
});

/** Null when this machine can run the scenario; otherwise why not. */
function whyNotRunnable(): string | null {
  if (process.platform !== 'linux') return 'needs Linux (tmpfs)';
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs (CI runs as root)';
  return null;
}
