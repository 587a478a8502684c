import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { loadSchema } from '../../src/contract/schemas.js';
import type { CommandName } from '../../src/contract/signed-command.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { demoTag, DEMO_CARDS } from '../../src/daemon/demo-data.js';
import { silentLogger } from '../../src/log/logger.js';
import { CommandSigner, readPrivateKey } from '../../src/reference-server/command-signer.js';
import { hardwareDir } from '../../src/paths.js';
import { systemClock } from '../../src/platform/system-clock.js';
import { CustodianApp } from '../../src/app/custodian-app.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import type { SimCabinet } from '../../src/sim/sim-cabinet.js';
import { ContractRecorder } from '../support/contract-validator.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The real daemon (in process, simulated cabinet, demo data) against a real Mosquitto, with a
 * subscriber on `keywarden/v1/#`: a whole session at the simulator, acknowledgements and every
 * command, then a stop. Every message the subscriber receives, from the cabinet or to it, must
 * match docs/schemas; a failure names the topic and the schema error.
 */
const CABINET = 'contract-cab';
const PREFIX = `keywarden/v1/${CABINET}`;
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

let broker: Broker;
let daemon: Daemon;
let sim: SimCabinet;
let subscriber: MqttClient;
let database: string;
const recorder = new ContractRecorder();
/** The unsigned command the test sends on purpose is the only message off the contract. */
const DELIBERATE = [`${PREFIX}/cmd/ping: signature: is required`];
const signer = new CommandSigner({
  privateKey: readPrivateKey(join(FIXTURES, 'command-signing-test.key.pem')),
  keyId: 'central-1',
});

beforeAll(async () => {
  broker = await startMosquitto();
  subscriber = mqtt.connect(broker.url, { protocolVersion: 5 });
  recorder.attach(subscriber);
  await new Promise<void>((resolve) => subscriber.once('connect', () => resolve()));
  await subscriber.subscribeAsync('keywarden/v1/#', { qos: 1 });

  const dir = mkdtempSync(join(tmpdir(), 'keywarden-contract-'));
  daemon = new Daemon({
    config: testConfig({
      cabinetId: CABINET,
      database: (database = join(dir, 'cabinet.db')),
      mqtt: { url: broker.url, reconnectMs: 100 },
      sim: { host: '127.0.0.1', port: 0 },
      readers: { badgeQuietMs: 0 },
      commands: {
        keys: [
          {
            id: 'central-1',
            publicKey: readFileSync(join(FIXTURES, 'command-signing-test.pub.pem'), 'utf8'),
          },
        ],
      },
    }),
    profile: loadProfile('sim', hardwareDir()),
    logger: silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
    demo: true,
  });
  await daemon.start();
  if (!daemon.sim) throw new Error('the daemon did not start its simulator');
  sim = daemon.sim;
  // The fob reader has reported the keys hanging in slots 1-10: the readers are up.
  await waitFor(() => daemon.runner.current.slots[9]?.occupied === true, 'the fob reader');
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  await subscriber?.endAsync(true);
  await broker?.stop();
});

const events = (type: string) => recorder.count(`event:${type}`);

/** Does something at the cabinet and waits until the subscriber has the event it causes. */
async function expectEvent(type: string, act: () => void | Promise<void>): Promise<void> {
  const before = events(type);
  await act();
  await waitFor(() => events(type) > before, `${type} at the subscriber`);
}

/** A presentation of `card` (the reader's quiet time is 0: the same card again counts). */
function badge(card: string): void {
  sim.badge(card);
}

async function command(name: CommandName, args: Record<string, unknown>): Promise<void> {
  const signed = signer.sign(CABINET, name, args);
  const replies = recorder.count('reply');
  await subscriber.publishAsync(`${PREFIX}/cmd/${name}`, JSON.stringify(signed), {
    qos: 1,
    properties: {
      messageExpiryInterval: 60,
      responseTopic: `${PREFIX}/reply`,
      correlationData: Buffer.from(signed.id),
    },
  });
  await waitFor(() => recorder.count('reply') > replies, `the reply to ${name}`);
}

it('a session at the cabinet: every event published matches the contract', async () => {
  await expectEvent('access.granted', () => badge(DEMO_CARDS.alice));
  sim.openDoor();
  await expectEvent('key.checked_out', () => void sim.take(1));
  sim.closeDoor();

  await expectEvent('access.granted', () => badge(DEMO_CARDS.alice));
  sim.openDoor();
  await expectEvent('key.checked_in', () => void sim.insert(1));
  // Key 2 into the spare slot 11, then where it belongs.
  await expectEvent('key.checked_out', () => void sim.take(2));
  await expectEvent('key.wrong_slot', () => void sim.insert(11, demoTag(2)));
  await expectEvent('alarm.cleared', () => void sim.take(11));
  await expectEvent('key.checked_in', () => void sim.insert(2));
  // A fob no key is registered with, pulled out again.
  await expectEvent('key.unknown_fob', () => void sim.insert(12, 'BEEF0042'));
  await expectEvent('alarm.cleared', () => void sim.take(12, true));
  sim.closeDoor();

  // Forced: the door, then a key from its locked slot; both put right again.
  await expectEvent('door.forced', () => sim.openDoor(true));
  await expectEvent('key.forced', () => void sim.take(7, true));
  await expectEvent('alarm.cleared', () => void sim.insert(7));
  await expectEvent('alarm.cleared', () => sim.closeDoor());

  // The profile's tamper switch and power-fail contact, active and back to normal.
  await expectEvent('cabinet.tamper', () => sim.setContact('tamper', true));
  await expectEvent('alarm.cleared', () => sim.setContact('tamper', false));
  await expectEvent('power.failed', () => sim.setContact('powerFail', true));
  await expectEvent('power.restored', () => sim.setContact('powerFail', false));

  // Refused: a disabled holder, an unknown card.
  await expectEvent('access.denied', () => badge(DEMO_CARDS.carol));
  await expectEvent('access.denied', () => badge('DEADBEEF01'));

  // A custodian change from another process on the same database (the command line).
  await expectEvent('permission.revoked', () => {
    const db = openDatabase(database);
    try {
      const app = CustodianApp.open(db, new EventLog(db, CABINET, systemClock), {
        kind: 'custodian',
        account: 'jdoe',
      });
      expect(app.permissions.revoke(2, 10)).toBe(true);
    } finally {
      db.close();
    }
  });
  await expectEvent('policy.changed', () => {
    const db = openDatabase(database);
    try {
      const app = CustodianApp.open(db, new EventLog(db, CABINET, systemClock), {
        kind: 'custodian',
        account: 'jdoe',
      });
      expect(app.groups.add('Night shift', 120)).toBe(1);
    } finally {
      db.close();
    }
  });

  expect(recorder.problems()).toEqual([]);
});

it('the central server acknowledges: the retained status carries the new position', async () => {
  const last = daemon.eventLog.lastSeq();
  await subscriber.publishAsync(`${PREFIX}/ack`, JSON.stringify({ seq: last }), { qos: 1 });
  await waitFor(
    () => recorder.payloads('status').some((s) => s.lastAckedSeq === last),
    'a status with the acknowledged seq',
  );
  expect(daemon.eventLog.ackedSeq()).toBe(last);
  expect(recorder.problems()).toEqual([]);
});

it('every command, refused ones too: commands and replies match the contract', async () => {
  await command('ping', {});
  await command('inventory', {});
  await command('replay', { fromSeq: daemon.eventLog.lastSeq() });
  await command('release', { slot: 3, holderId: 1 });
  await command('release', { slot: 3, holderId: 3 }); // Carol is disabled
  await command('lockdown', { allowHolders: [2] });
  await expectEvent('access.denied', () => badge(DEMO_CARDS.alice)); // reason: lockdown
  await command('lockdown_end', {});
  await command('emergency_release', {});
  await command('emergency_release_end', {});
  await command('sync', {
    version: 1,
    holders: [{ id: 1, name: 'Alice Example', enabled: true }],
    credentials: [{ id: 1, holderId: 1, card: DEMO_CARDS.alice, enabled: true }],
    keys: [{ id: 1, tag: demoTag(1), label: 'K-01', homeSlot: 1 }],
    permissions: [{ holderId: 1, slot: 1 }],
  });
  // Refused: unsigned, and a signature that does not match.
  const replies = recorder.count('reply');
  const { signature: _dropped, ...unsigned } = signer.sign(CABINET, 'ping', {});
  await subscriber.publishAsync(`${PREFIX}/cmd/ping`, JSON.stringify(unsigned), { qos: 1 });
  const forged = { ...signer.sign(CABINET, 'release', { slot: 1, holderId: 1 }), counter: 1 };
  await subscriber.publishAsync(`${PREFIX}/cmd/release`, JSON.stringify(forged), { qos: 1 });
  await waitFor(() => recorder.count('reply') >= replies + 2, 'the replies to refused commands');

  const statuses = recorder.payloads('reply').map((r) => `${String(r.name)} ${String(r.status)}`);
  expect(statuses).toEqual([
    'ping ok',
    'inventory ok',
    'replay ok',
    'release ok',
    'release ok',
    'lockdown ok',
    'lockdown_end ok',
    'emergency_release ok',
    'emergency_release_end ok',
    'sync ok',
    'ping rejected',
    'release rejected',
  ]);
  // Wait for the events the last commands caused before checking.
  await waitFor(() => events('command.rejected') >= 2, 'command.rejected events');
  // The one message that breaks the contract is the unsigned command this test sent.
  expect(recorder.problems()).toEqual(DELIBERATE);
  // The subscriber on keywarden/v1/# saw the commands it sent, and checked them too.
  expect(recorder.count('command')).toBe(12);
});

it('the retained status, inventory and alarms a new subscriber gets match the contract', async () => {
  const probe = mqtt.connect(broker.url, { protocolVersion: 5 });
  const retained = new ContractRecorder().attach(probe);
  try {
    await new Promise<void>((resolve) => probe.once('connect', () => resolve()));
    const topics = ['status', 'inventory', 'alarms'].map((kind) => `${PREFIX}/${kind}`);
    await probe.subscribeAsync(topics, { qos: 1 });
    await waitFor(
      () => topics.every((t) => retained.received.some((m) => m.topic === t)),
      'the three retained messages',
    );
    // The first of each comes from the broker's retained store (later ones may be live).
    for (const topic of topics) {
      expect(retained.received.find((m) => m.topic === topic)?.retained, topic).toBe(true);
    }
    expect(retained.problems()).toEqual([]);
  } finally {
    await probe.endAsync(true);
  }
});

it('the orderly stop: cabinet.stopped and the offline status match too, and every type was seen', async () => {
  await daemon.stop('SIGTERM');
  await waitFor(() => events('cabinet.stopped') === 1, 'cabinet.stopped');
  await waitFor(
    () => recorder.payloads('status').some((s) => s.state === 'offline'),
    'the offline status',
  );
  expect(recorder.problems()).toEqual(DELIBERATE);
  const kinds = [...recorder.kinds()].filter(
    (k) => !k.startsWith('event:') && !k.startsWith('command:'),
  );
  expect(kinds.sort()).toEqual(['ack', 'alarms', 'inventory', 'reply', 'status']);

  const schemaTypes = (loadSchema('event').properties as { type: { enum: string[] } }).type.enum;
  const seen = [...recorder.kinds()].filter((k) => k.startsWith('event:')).map((k) => k.slice(6));
  // Not raised by this session (test/contract/event-schemas covers each): the storage alarms
  // (test/faults/database-disk-full raises storage.full for real); the reader alarms (the
  // simulated ports are the daemon's own; test/daemon/reader-unplugged-is-an-alarm.pty raises
  // them on ptys; reader.tampered needs an OSDP reader, test/contract/event-schemas records it); the lockout events, since a lockout would stall this session for 10 s
  // (test/e2e/custodian-requests-reach-the-daemon clears one through the daemon); the
  // policy's PIN (pin.locked, pin.reset), tier, loan-limit and expiry events, whose demo data
  // this session does not set up (test/daemon/pin-typed-at-the-keypad runs the PIN path in the
  // daemon, test/security/paced-pin-guessing locks and resets a card); and the safety
  // events of issue 5, which need a held door (20 s), a clock step, a key moved while the daemon
  // is down or a substitution the simulator cannot make (test/faults door-forced-and-held-open,
  // wall-clock-jumps and restart-mid-session raise them on a running daemon); the duplicate fob
  // tag (test/faults/forged-fob-reports raises it through a pty) and the unknown-card flood
  // (a lockout, as above). An alarm acknowledged on the web console (alarm.acknowledged) is
  // recorded by test/contract/event-schemas and test/web/console-overview-routes.
  expect(schemaTypes.filter((t) => !seen.includes(t)).sort()).toEqual([
    'alarm.acknowledged',
    'alarm.duress',
    'authorisation.expired',
    'authorisation.given',
    'authorisation.refused',
    'authorisation.requested',
    'clock.stepped',
    'door.held_open',
    'key.duplicate_fob',
    'key.flagged_return',
    'key.missing',
    'key.overdue',
    'key.overdue_reminder',
    'key.returned_unrecorded',
    'key.swapped',
    'lockout.cleared',
    'lockout.ended',
    'lockout.started',
    'pin.locked',
    'pin.reset',
    'reader.card_flood',
    'reader.offline',
    'reader.online',
    'reader.tampered',
    'storage.backlog',
    'storage.corrupt',
    'storage.failed',
    'storage.full',
    'storage.readonly',
    'validity.expired',
  ]);
  // Every seq from the first, none missing (the replay sent some twice: same id, same bytes).
  const seqs = new Set(recorder.payloads('event').map((e) => Number(e.seq)));
  expect(seqs.size).toBe(Math.max(...seqs));
});
