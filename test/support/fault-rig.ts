import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CommandSigner, readPrivateKey } from '../../src/reference-server/command-signer.js';
import { FleetMonitor, type MonitorNotice } from '../../src/reference-server/fleet-monitor.js';
import { DaemonProcess, simPost, writeCabinetFiles } from './daemon-process.js';
import { startMosquitto, type Broker } from './mosquitto.js';
import { CustodianApp } from '../../src/app/custodian-app.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { systemClock } from '../../src/platform/system-clock.js';
import { seedCabinet } from './seed.js';
import { waitFor } from './wait-for.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const FAULT_CABINET = 'fault-cab';
/**
 * The load's card: its holder may take K-1 but may have no key out (maxKeysOut 0). Each
 * presentation is one recorded `access.denied` (`loan_limit`), a refusal that never counts
 * towards a lockout. A card that is locked out would not do, nor would unknown cards: the
 * badges a lockout refuses are counted in its end, not recorded one by one.
 */
const LOAD_CARD = 'F0AD000001';

/** Long runs (`npm run test:faults`) set KEYWARDEN_FAULTS_FULL=1; `npm test` runs short ones. */
export const FULL_RUN = process.env.KEYWARDEN_FAULTS_FULL === '1';

/**
 * A cabinet under fault injection, as the central server sees it: a real Mosquitto, the daemon
 * as a child process (so it can be SIGKILLed), and the reference consumer (FleetMonitor) that
 * de-duplicates, checks the chain, acknowledges and asks for replays with a signed command.
 */
export class FaultRig {
  readonly notices: MonitorNotice[] = [];
  daemon!: DaemonProcess;
  monitor!: FleetMonitor;
  private loadTimer: NodeJS.Timeout | undefined;
  /** The load's badges still being handed to the simulator: stopLoad waits for them. */
  private readonly loadInFlight = new Set<Promise<unknown>>();

  private constructor(
    readonly broker: Broker,
    readonly database: string,
  ) {}

  static async start(): Promise<FaultRig> {
    const broker = await startMosquitto({ persistence: true });
    const files = writeCabinetFiles({
      cabinetId: FAULT_CABINET,
      brokerUrl: broker.url,
      badgePath: 'sim:badge',
      fobPath: 'sim:fob',
    });
    const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as Record<string, unknown>;
    config.commands = {
      keys: [
        {
          id: 'fault-test',
          publicKey: readFileSync(join(FIXTURES, 'command-signing-test.pub.pem'), 'utf8'),
        },
      ],
    };
    config.readers = { badgeQuietMs: 0, reopenIntervalMs: 200 };
    writeFileSync(files.configFile, JSON.stringify(config));
    seedCabinet(files.database, FAULT_CABINET);
    addLoadHolder(files.database);
    const rig = new FaultRig(broker, files.database);
    rig.monitor = new FleetMonitor({
      url: broker.url,
      mqtt: {
        clientId: 'fault-central',
        clean: false,
        properties: { sessionExpiryInterval: 3600 },
        reconnectPeriod: 200,
      },
      ackDebounceMs: 100,
      gapTimeoutMs: 500,
      replayRetryMs: 2_000,
      signer: new CommandSigner({
        privateKey: readPrivateKey(join(FIXTURES, 'command-signing-test.key.pem')),
        keyId: 'fault-test',
      }),
    });
    rig.monitor.on('notice', (n) => rig.notices.push(n));
    await rig.monitor.ready();
    rig.daemon = new DaemonProcess(files.configFile);
    await rig.daemon.start();
    return rig;
  }

  /**
   * A card with no permission at the simulated reader, one every `everyMs`: each is an
   * access.denied. The interval is the load's rate (pacing), not a wait for anything.
   */
  startLoad(everyMs = 15): void {
    clearInterval(this.loadTimer);
    this.loadTimer = setInterval(() => {
      const card = LOAD_CARD;
      let url: string;
      try {
        url = this.daemon.simUrl();
      } catch {
        return; // the daemon is down: a person would find a dead reader
      }
      const badge = simPost(url, '/badge', { card }).catch(() => undefined);
      this.loadInFlight.add(badge);
      void badge.finally(() => this.loadInFlight.delete(badge));
    }, everyMs);
  }

  /**
   * Stops the load and resolves once the simulator has answered every badge already sent. It
   * answers once the card's bytes are in the simulated reader, which hands them to the cabinet
   * in the same turn of the daemon's loop (SQLite commits synchronously): no badge is still on
   * its way to being recorded.
   */
  async stopLoad(): Promise<void> {
    clearInterval(this.loadTimer);
    this.loadTimer = undefined;
    await Promise.all(this.loadInFlight);
  }

  /** Every seq the cabinet recorded, from its own database. */
  recordedSeqs(): number[] {
    const db = new BetterSqlite3(this.database, { readonly: true });
    try {
      return (
        db.prepare('SELECT seq FROM events ORDER BY seq').all() as Array<{ seq: number }>
      ).map((r) => r.seq);
    } finally {
      db.close();
    }
  }

  integrityCheck(): string {
    const db = new BetterSqlite3(this.database, { readonly: true });
    try {
      return db.pragma('integrity_check', { simple: true }) as string;
    } finally {
      db.close();
    }
  }

  /**
   * Waits until the consumer holds everything recorded, without gaps, and returns what was
   * recorded at that moment. Call it once the load has stopped.
   */
  async caughtUp(timeoutMs = 60_000): Promise<number[]> {
    let recorded: number[] = [];
    try {
      await waitFor(
        () => {
          recorded = this.recordedSeqs();
          return this.monitor.tracker(FAULT_CABINET)?.position === recorded.at(-1);
        },
        'the central server to hold every recorded event',
        timeoutMs,
      );
    } catch (error) {
      const tracker = this.monitor.tracker(FAULT_CABINET);
      const tail = this.notices.slice(-8).map((n) => JSON.stringify(n).slice(0, 200));
      const logs = this.daemon.logs.slice(-8).map((l) => JSON.stringify(l).slice(0, 200));
      throw new Error(
        `${(error as Error).message}: recorded up to ${recorded.at(-1)}, consumer at ${tracker?.position} ` +
          `(first missing ${tracker?.firstMissing})\nlast notices:\n${tail.join('\n')}\ndaemon log:\n${logs.join('\n')}`,
        { cause: error },
      );
    }
    return recorded;
  }

  /** Sequence numbers the consumer handed on (after de-duplication), in arrival order. */
  delivered(): number[] {
    return this.of('event').map((n) => n.event.seq);
  }

  of<K extends MonitorNotice['kind']>(kind: K): Array<Extract<MonitorNotice, { kind: K }>> {
    return this.notices.filter((n): n is Extract<MonitorNotice, { kind: K }> => n.kind === kind);
  }

  /**
   * Tears the rig down in a bounded time, clients before the broker: the consumer's stop is
   * bounded by FleetMonitor itself, the broker's by test/support/mosquitto.ts (SIGKILL after
   * its own timeout).
   */
  async stop(): Promise<void> {
    await this.stopLoad();
    await this.daemon?.stop('SIGKILL');
    await this.monitor?.stop();
    await this.broker?.stop();
  }
}

/** The holder whose card is the load: permitted slot 1, allowed no key out. */
function addLoadHolder(database: string): void {
  const db = openDatabase(database);
  try {
    const log = new EventLog(db, FAULT_CABINET, systemClock);
    const app = CustodianApp.open(db, log, { kind: 'custodian', account: 'test' });
    const load = app.holders.add('Load', { maxKeysOut: 0 });
    app.permissions.grant(load, 1);
    app.credentials.add(load, LOAD_CARD);
  } finally {
    db.close();
  }
}
