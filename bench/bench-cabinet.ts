import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimGpioDriver } from '../drivers/gpio/sim-gpio.js';
import { formatFobLine } from '../drivers/serial/fob-line.js';
import { parseConfig } from '../src/config/config.js';
import { parseProfile, type HardwareProfile } from '../src/config/profile.js';
import { Daemon } from '../src/daemon/daemon.js';
import { silentLogger } from '../src/log/logger.js';
import { hardwareDir } from '../src/paths.js';
import { startMosquitto } from '../test/support/mosquitto.js';
import { openPtyPair } from '../test/support/pty-pair.js';
import { PtyWriter } from './pty-writer.js';
import { takeServicePriority, type ServicePriority } from './service-priority.js';

export interface BenchCabinetOptions {
  /** Temp directory for the config's virtual file name; the database lives here too. */
  dir: string;
  database: string;
  /** Fob tag of the key at home in slot i+1, at index i. */
  keyTags: readonly string[];
  sessionSeconds: number;
  /**
   * The profile's `readers.badge` in place of sim.json's serial reader (an OSDP bus), given the
   * path of the pty's device end; the reader on the other end is then the benchmark's.
   */
  badgeReader?: (devicePath: string) => Record<string, unknown>;
  /** Set over the config's `readers` section (the OSDP key file). */
  readersConfig?: Record<string, unknown>;
}

/**
 * The real daemon, in this process, on the simulated 12-slot cabinet: GPIO is the simulator's
 * (injected, so its output events can be timed), the badge and fob readers are socat ptys
 * read through serialport exactly as on a Pi, and the outbox publishes to a real Mosquitto.
 */
export class BenchCabinet {
  private constructor(
    readonly daemon: Daemon,
    readonly gpio: SimGpioDriver,
    readonly badge: PtyWriter,
    /** The badge pty's peer end: where the reader (an OSDP bus's simulator) is plugged in. */
    readonly badgePeerPath: string,
    /** The unit's priority as this process took it (bench/service-priority.ts). */
    readonly priority: ServicePriority,
    private readonly fob: PtyWriter,
    private readonly keyTags: readonly string[],
    private readonly cleanups: Array<() => Promise<unknown>>,
  ) {}

  static async start(options: BenchCabinetOptions): Promise<BenchCabinet> {
    // Undone in reverse order, also when a later step of the start fails.
    const cleanups: Array<() => Promise<unknown>> = [];
    try {
      const badgePair = await openPtyPair();
      cleanups.unshift(() => badgePair.close());
      const fobPair = await openPtyPair();
      cleanups.unshift(() => fobPair.close());
      const broker = await startMosquitto();
      cleanups.unshift(() => broker.stop());
      const badge = await PtyWriter.open(badgePair.peerPath);
      cleanups.unshift(() => badge.close());
      const fob = await PtyWriter.open(fobPair.peerPath);
      cleanups.unshift(() => fob.close());

      const logger = silentLogger();
      const profile = benchProfile(
        badgePair.devicePath,
        fobPair.devicePath,
        options.badgeReader?.(badgePair.devicePath),
      );
      const config = parseConfig(
        {
          version: 1,
          cabinetId: 'bench',
          profile: 'sim',
          database: options.database,
          mqtt: { url: broker.url, allowPlainText: true, reconnectMs: 300 },
          cabinet: { sessionSeconds: options.sessionSeconds },
          readers: { reopenIntervalMs: 200, ...options.readersConfig },
          // Port 0: the simulator's control server must not collide with a running `npm start`.
          sim: { host: '127.0.0.1', port: 0 },
          log: { level: 'info' },
        },
        join(options.dir, 'config.json'),
      );
      // The clock the benchmark reads t0 from, so t1 - t0 compares like with like.
      const gpio = new SimGpioDriver({ logger, now: () => performance.now() });
      // Keys hang in every slot before power-up: a grant then has something to release.
      for (const slot of profile.slots) gpio.setInput(slot.keyPresent.name, true);
      // As systemd starts it: at the unit's Nice=, which the daemon keeps for its main thread.
      const priority = takeServicePriority();
      cleanups.unshift(() => Promise.resolve(priority.restore()));
      const daemon = new Daemon({ config, profile, logger, gpio });
      // Registered before start: a start that fails halfway still releases what it opened.
      cleanups.unshift(() => daemon.stop('benchmark done'));
      await daemon.start();
      return new BenchCabinet(
        daemon,
        gpio,
        badge,
        badgePair.peerPath,
        priority,
        fob,
        options.keyTags,
        cleanups,
      );
    } catch (err) {
      await runAll(cleanups);
      throw err;
    }
  }

  /** What the fob reader reports at power-up: every occupied slot, one line each. */
  async announceFobs(): Promise<void> {
    const lines = this.keyTags.map((tag, i) => `${formatFobLine(i + 1, tag)}\r\n`).join('');
    await this.fob.write(Buffer.from(lines, 'ascii'), 'async');
  }

  /** True once the cabinet flow knows every key's fob in its home slot. */
  fobsKnown(): boolean {
    const slots = this.daemon.runner.current.slots;
    return this.keyTags.every((tag, i) => slots[i]?.tag === tag && slots[i]?.occupied === true);
  }

  /** Reverse order of start: the daemon (which reads the ptys and publishes) goes first. */
  async stop(): Promise<void> {
    await runAll(this.cleanups);
  }
}

/** Runs every step in order, each even if one before it failed; failures are shown, not fatal. */
async function runAll(steps: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  for (const step of steps) {
    await Promise.resolve()
      .then(step)
      .catch((err: unknown) =>
        process.stderr.write(`bench: teardown step failed: ${String(err)}\n`),
      );
  }
}

/**
 * hardware/sim.json with both readers moved onto ptys (the sim: ports have no wire to time),
 * the badge reader replaced by `badge` when given.
 */
function benchProfile(
  badgePath: string,
  fobPath: string,
  badge?: Record<string, unknown>,
): HardwareProfile {
  const file = join(hardwareDir(), 'sim.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    readers: { badge: Record<string, unknown>; fob: { path: string } };
  };
  json.readers.badge = badge ?? { ...json.readers.badge, path: badgePath };
  json.readers.fob.path = fobPath;
  return parseProfile(json, file);
}
