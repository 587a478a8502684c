import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IPublishPacket, MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { CommandIntake } from '../../src/remote-commands/command-intake.js';
import { loadProfile } from '../../src/config/profile.js';
import { validateMessage, loadSchema } from '../../src/contract/schemas.js';
import { CabinetRunner } from '../../src/daemon/cabinet-runner.js';
import { DeliverySupervisor } from '../../src/daemon/delivery-supervisor.js';
import { demoTag, DEMO_CARDS, seedDemo } from '../../src/daemon/demo-data.js';
import { claimHardware } from '../../src/daemon/hardware.js';
import { initialCabinetState } from '../../src/domain/cabinet-state.js';
import type { CabinetInput } from '../../src/domain/cabinet-inputs.js';
import type { EventType, RecordedEvent } from '../../src/domain/events.js';
import { silentLogger } from '../../src/log/logger.js';
import { CommandSigner, readPrivateKey } from '../../src/reference-server/command-signer.js';
import { hardwareDir } from '../../src/paths.js';
import { CustodianApp } from '../../src/app/custodian-app.js';
import { ensureSlots } from '../../src/store/slots.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { SqliteDirectory } from '../../src/store/sqlite-directory.js';
import { FakeClock } from '../support/fake-clock.js';
import { testConfig } from '../support/test-config.js';

/**
 * Every event type the code can record, produced by the code that records it wherever that can
 * run here: the real cabinet flow (CabinetRunner over SQLite), the custodian app, the delivery
 * supervisor and the permission sync, all writing through the real EventLog, then checked
 * against docs/schemas/event.json; and the command intake (src/remote-commands/) fed signed and
 * broken commands, whose events and replies are checked too. Only the MQTT client is a stand-in:
 * replies are captured instead of published.
 */
const CABINET = 'test-cab';
let db: Database;
let log: EventLog;
let clock: FakeClock;
let runner: CabinetRunner;
let supervisor: DeliverySupervisor;
const hardwareOff: Array<() => void> = [];
const replies: Array<{ topic: string; payload: string }> = [];

const recorded = (): RecordedEvent[] => log.recent(10_000);
const byType = (type: EventType): RecordedEvent[] => recorded().filter((e) => e.type === type);

function send(...inputs: CabinetInput[]): void {
  for (const input of inputs) runner.handle(input);
}
const take = (slot: number): CabinetInput[] => [
  { kind: 'presence', slot, present: false },
  { kind: 'fob', slot, tag: null },
];
const put = (slot: number, tag: string): CabinetInput[] => [
  { kind: 'presence', slot, present: true },
  { kind: 'fob', slot, tag },
];

beforeAll(() => {
  db = openDatabase(':memory:');
  ensureSlots(db, 12);
  clock = new FakeClock();
  log = new EventLog(db, CABINET, clock);
  const app = CustodianApp.open(db, log, { kind: 'custodian', account: 'jdoe' });
  seedDemo(db, app); // holder.added, credential.added, key.added, permission.granted, holder.disabled
  app.permissions.revoke(2, 10);
  app.groups.add('Night shift', 120); // policy.changed

  const profile = loadProfile('sim', hardwareDir());
  const hardware = claimHardware(
    new SimGpioDriver({ logger: silentLogger() }),
    profile,
    silentLogger(),
  );
  hardwareOff.push(() => hardware.allOff());
  runner = new CabinetRunner(
    initialCabinetState(12),
    {
      settings: { slotCount: 12, sessionMs: 10_000, wrongSlotPulseMs: 5_000 },
      directory: new SqliteDirectory(db),
      clock,
    },
    log,
    hardware.outputs,
    silentLogger(),
  );
  log.append([{ type: 'cabinet.started', data: { version: '0.1.0', profile: profile.model } }]);
  for (let slot = 1; slot <= 10; slot++) send(...put(slot, demoTag(slot)));

  // Check-out and check-in.
  send({ kind: 'badge', card: DEMO_CARDS.alice }, { kind: 'door', open: true }, ...take(1));
  send({ kind: 'door', open: false });
  clock.advance(90_000);
  send({ kind: 'badge', card: DEMO_CARDS.alice }, { kind: 'door', open: true });
  send(...put(1, demoTag(1)), { kind: 'door', open: false });
  // Denials: a disabled holder, an unknown card.
  send({ kind: 'badge', card: DEMO_CARDS.carol }, { kind: 'badge', card: 'DEADBEEF01' });
  // Two more unknown cards lock the reader; a badge is refused (locked_out); a custodian
  // clears it; two more lock it again, and that lockout runs its time.
  const unknown = (card: string): CabinetInput => ({ kind: 'badge', card });
  send(unknown('DEADBEEF02'), unknown('DEADBEEF03'), { kind: 'badge', card: DEMO_CARDS.alice });
  send({
    kind: 'clear_lockout',
    actor: { kind: 'custodian', account: 'jdoe' },
    subject: { kind: 'reader' },
  });
  send(unknown('DEADBEEF04'), unknown('DEADBEEF05'));
  clock.advance(30_000);
  send({ kind: 'tick' });
  // The door forced, held open, then closed (alarm.cleared twice).
  send({ kind: 'door', open: true });
  clock.advance(1_000);
  send({ kind: 'tick' });
  // A custodian acknowledges the forced door on the web console (alarm.acknowledged).
  const forced = byType('door.forced').at(-1);
  if (forced) app.alarms.acknowledge(forced.seq, 'Checked the cabinet: nobody there.');
  clock.advance(19_000);
  send({ kind: 'tick' }, { kind: 'door', open: false });
  // Key 9 pulled from its slot and its fob reported in locked slot 8 (key.swapped), then key 8
  // back (alarm.cleared), and key 9 home again.
  send(...take(9), { kind: 'fob', slot: 8, tag: demoTag(9) });
  send({ kind: 'fob', slot: 8, tag: demoTag(8) }, ...put(9, demoTag(9)));
  // Key 6 checked out, then seen back by its switch alone: reconciliation closes the loan.
  send({ kind: 'badge', card: DEMO_CARDS.alice }, { kind: 'door', open: true }, ...take(6));
  send({ kind: 'door', open: false }, { kind: 'presence', slot: 6, present: true });
  send({ kind: 'reconcile' }, { kind: 'fob', slot: 6, tag: demoTag(6) });
  // Key 5 forced out, a stranger's fob in and out again: key 5 is unaccounted for (key.missing)
  // until its fob is back (alarm.cleared).
  send(...take(5), ...put(5, 'BEEF0005'), ...take(5), { kind: 'reconcile' });
  send(...put(5, demoTag(5)));
  // NTP sets the clock back (clock.stepped).
  send({
    kind: 'clock_stepped',
    fromMs: clock.wallMs(),
    toMs: clock.wallMs() - 288_000,
    deltaMs: -288_000,
  });
  // A key pulled from a locked slot, then put back (alarm.cleared).
  send(...take(7), ...put(7, demoTag(7)));
  // A key in the wrong slot, taken out again; an unknown fob, taken out again.
  send(...take(3), ...put(11, demoTag(3)), ...take(11), ...put(3, demoTag(3)));
  // Tags already in another slot reported in slot 11, its switch closed (key.duplicate_fob, a
  // key's and an unknown one), each cleared when the slot reads empty.
  send(...put(12, 'BEEF0042'), ...put(11, 'BEEF0042'));
  send({ kind: 'fob', slot: 11, tag: null }, ...take(12));
  send({ kind: 'fob', slot: 11, tag: demoTag(1) }, { kind: 'fob', slot: 11, tag: null });
  policyEvents();
  // The fob reader unplugged and back (reader.offline, reader.online, alarm.cleared).
  send({ kind: 'reader', reader: 'fob', online: false, reason: 'disconnected' });
  send({ kind: 'reader', reader: 'fob', online: true });
  // The tamper switch and the power-fail input, active then back to normal; an emergency
  // input releasing the door only.
  send({ kind: 'tamper', active: true }, { kind: 'tamper', active: false });
  // An OSDP badge reader's tamper switch, then its Secure Channel broken (reader.tampered).
  send(
    { kind: 'reader_tamper', reader: 'badge', active: true, reason: 'tamper switch' },
    { kind: 'reader_tamper', reader: 'badge', active: false, reason: 'tamper switch' },
  );
  send({ kind: 'power', failed: true }, { kind: 'power', failed: false });
  send({ kind: 'emergency_start', source: 'input', releases: 'door' });
  send({ kind: 'emergency_end', source: 'input' });
  // The database refusing writes: a badge and a `release` denied (reason storage), recorded
  // with the alarm once writes work again; then the other three storage alarms.
  db.pragma('query_only = ON');
  send({ kind: 'badge', card: DEMO_CARDS.alice });
  send({ kind: 'remote_release', commandId: 'c-storage', holderId: 1, slot: 2 });
  db.pragma('query_only = OFF');
  for (const code of ['SQLITE_FULL', 'SQLITE_CORRUPT', 'SQLITE_IOERR_WRITE']) {
    clock.advance(2_000);
    send({ kind: 'tick' }); // the probe records the outage before
    runner.storage.failed(Object.assign(new Error(code), { code }), unknown('DEADBEEF06'));
  }
  clock.advance(2_000);
  send({ kind: 'tick' });

  supervisor = new DeliverySupervisor(
    log,
    { retentionDays: 30, maxUnacknowledged: 5, pruneIntervalMinutes: 60, resendAfterSeconds: 60 },
    clock,
    silentLogger(),
    () => undefined,
  );
  supervisor.checkBacklog(); // storage.backlog
  supervisor.onAck('ack', Buffer.from(JSON.stringify({ seq: log.lastSeq() })));

  runCommands();
  log.append([{ type: 'cabinet.stopped', data: { reason: 'SIGTERM' } }]);
});

/**
 * Issue 4's events: a loan past its limit (dueAt, overdue, reminder, door-only badge, return),
 * a master key behind PIN, reason code and a second person (duress PIN, refused and given
 * authorisations, one that lapses, a wrong PIN), a lost key coming back, a holder's end date.
 */
function policyEvents(): void {
  const alice = { kind: 'badge', card: DEMO_CARDS.alice } as const;
  const door = (open: boolean): CabinetInput => ({ kind: 'door', open });
  db.exec('UPDATE keys SET max_loan_minutes = 1 WHERE home_slot = 2');
  send(alice, door(true), ...take(2), door(false));
  clock.advance(61_000);
  send({ kind: 'tick' }); // key.overdue
  clock.advance(60 * 60_000);
  send({ kind: 'tick' }); // key.overdue_reminder
  send(alice, door(true), ...put(2, demoTag(2)), door(false)); // takeRefused, then back

  db.exec("UPDATE keys SET tier = 'master' WHERE home_slot = 5");
  db.prepare('UPDATE credentials SET pin_hash = ? WHERE card = ?').run('set', DEMO_CARDS.alice);
  const pin = (outcome: 'ok' | 'duress' | 'wrong'): CabinetInput => ({
    kind: 'pin',
    credentialId: 1,
    outcome,
  });
  send(alice, pin('duress'), { kind: 'reason_code', code: '42' }); // requested, withheld
  send(alice); // refused: self_authorisation
  const bob = { kind: 'badge', card: DEMO_CARDS.bob } as const;
  send(bob, bob); // tapped twice to confirm: given, then granted with authorisers
  send(door(true), door(false));
  send(alice, pin('ok'), { kind: 'reason_code', code: '42' });
  clock.advance(61_000);
  send({ kind: 'tick' }); // authorisation.expired
  send(alice, pin('wrong')); // denied: wrong_pin
  send(alice, pin('ok'), { kind: 'entry_cancel' }); // pin.reset: the right PIN after a wrong one
  db.prepare('INSERT INTO pin_failures (credential_id, wrong_pins, last_at) VALUES (1, 4, ?)').run(
    new Date(clock.wallMs()).toISOString(),
  );
  send(alice, pin('wrong')); // pin.locked: the fifth in a row
  send(alice); // denied: pin_locked

  db.exec("UPDATE keys SET state = 'lost' WHERE home_slot = 10");
  send(...take(10), ...put(10, demoTag(10))); // key.flagged_return
  const end = new Date(clock.wallMs() + 1_000).toISOString();
  db.prepare('UPDATE holders SET valid_until = ? WHERE id = 2').run(end);
  clock.advance(2_000);
  send({ kind: 'tick' }); // validity.expired
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const REPLY_TOPIC = `keywarden/v1/${CABINET}/reply`;

/** Every command once, a failing sync, and each way a command is refused. */
function runCommands(): void {
  const publicKey = readFileSync(join(FIXTURES, 'command-signing-test.pub.pem'), 'utf8');
  const client = {
    publish(topic: string, payload: string, _options: unknown, done?: (err?: Error) => void) {
      replies.push({ topic, payload });
      done?.();
    },
  } as unknown as MqttClient;
  const intake = new CommandIntake({
    config: testConfig({
      cabinetId: CABINET,
      commands: { keys: [{ id: 'central-1', publicKey }] },
    }),
    client,
    replyTopic: REPLY_TOPIC,
    logger: silentLogger(),
    services: {
      db,
      log,
      runner,
      clock,
      version: '0.1.0',
      slotCount: 12,
      outbox: { notify: () => undefined },
      retained: { invalidate: () => undefined, refresh: () => undefined },
      inventoryTopic: `keywarden/v1/${CABINET}/inventory`,
    },
    recorded: () => undefined,
  });
  const signer = new CommandSigner({
    privateKey: readPrivateKey(join(FIXTURES, 'command-signing-test.key.pem')),
    keyId: 'central-1',
    now: () => clock.wallMs(),
  });
  const deliver = (name: string, payload: unknown): void => {
    const topic = `keywarden/v1/${CABINET}/cmd/${name}`;
    const bytes = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
    const packet = { cmd: 'publish', topic, payload: bytes, qos: 1, dup: false, retain: false };
    intake.onMessage(topic, bytes, packet as IPublishPacket);
  };
  const send = (name: Parameters<CommandSigner['sign']>[1], args: Record<string, unknown>) => {
    const command = signer.sign(CABINET, name, args);
    deliver(name, command);
    return command;
  };

  const ping = send('ping', {});
  send('inventory', {});
  send('reconcile', {});
  send('replay', { fromSeq: 1 });
  send('release', { slot: 2, holderId: 1 }); // granted
  send('release', { slot: 2, holderId: 99 }); // denied: unknown_holder
  send('lockdown', { allowHolders: [1], allowGroups: [3] });
  send('lockdown_end', {});
  send('emergency_release', {});
  send('emergency_release_end', {});
  const set = {
    version: 7,
    holders: [{ id: 1, name: 'Alice Example', enabled: true }],
    credentials: [{ id: 1, holderId: 1, card: DEMO_CARDS.alice, enabled: true }],
    keys: [{ id: 1, tag: demoTag(1), label: 'K-01', homeSlot: 1 }],
    permissions: [{ holderId: 1, slot: 1 }],
  };
  send('sync', set);
  send('sync', { ...set, version: 6 }); // failed: stale_version
  send('sync', {
    version: 8,
    baseVersion: 7,
    upsert: { permissions: [{ holderId: 5, slot: 1 }] },
    remove: {},
  }); // failed: invalid

  deliver('ping', ping); // replayed
  deliver('ping', { ...signer.sign(CABINET, 'ping', {}), signature: undefined }); // unsigned
  const tampered = signer.sign(CABINET, 'release', { slot: 1, holderId: 1 });
  deliver('release', { ...tampered, args: { slot: 2, holderId: 1 } }); // bad_signature
  deliver('ping', { ...signer.sign('another-cab', 'ping', {}) }); // wrong_cabinet
  deliver('ping', { ...signer.sign(CABINET, 'ping', {}), keyId: 'central-9' }); // unknown_key
  deliver('reboot', { ...signer.sign(CABINET, 'ping', {}), name: 'reboot' }); // unknown_command
  deliver('release', signer.sign(CABINET, 'release', { slot: 99, holderId: 1 })); // invalid_args
  const old = new CommandSigner({
    privateKey: readPrivateKey(join(FIXTURES, 'command-signing-test.key.pem')),
    keyId: 'central-1',
    now: () => clock.wallMs() - 3_600_000,
  });
  deliver('ping', old.sign(CABINET, 'ping', {})); // expired
  deliver('ping', '{"id": "x",'); // malformed
}

afterAll(() => {
  hardwareOff.forEach((off) => off());
  db.close();
});

describe('every event the code records matches docs/schemas/event.json', () => {
  it('covers every event type of the schema', () => {
    const schemaTypes = (loadSchema('event').properties as { type: { enum: string[] } }).type.enum;
    expect([...new Set(recorded().map((e) => e.type))].sort()).toEqual([...schemaTypes].sort());
  });

  it('each recorded event is valid', () => {
    const problems = recorded().flatMap((event) =>
      validateMessage('event', event).map((p) => `#${event.seq} ${event.type}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('the published bytes (the stored payload) are valid too', () => {
    const rows = log.unsent(0, 10_000);
    expect(rows.length).toBe(recorded().length);
    for (const row of rows) expect(validateMessage('event', Buffer.from(row.payload))).toEqual([]);
  });

  it('the command intake refused in each way it can', () => {
    const reasons = byType('command.rejected').map((e) => (e.data as { reason: string }).reason);
    expect(reasons.sort()).toEqual(
      [
        'bad_signature',
        'expired',
        'invalid_args',
        'malformed',
        'replayed',
        'unknown_command',
        'unknown_key',
        'unsigned',
        'wrong_cabinet',
      ].sort(),
    );
  });

  it('the flow produced the optional and nullable forms', () => {
    expect(byType('key.checked_in')[0]?.data).toMatchObject({ returnedBy: 1 });
    expect(byType('key.duplicate_fob').map((e) => e.data)).toEqual([
      expect.objectContaining({ slot: 11, otherSlot: 12, keyId: null, keyLabel: null }),
      expect.objectContaining({ slot: 11, otherSlot: 1, keyId: expect.any(Number) as number }),
    ]);
    expect(byType('lockout.ended').map((e) => e.data)).toContainEqual(
      expect.objectContaining({ subject: 'reader', refusedCards: 0 }),
    );
    expect(byType('access.denied').map((e) => e.data)).toContainEqual(
      expect.objectContaining({ reason: 'unknown_card', card: '…EF01' }),
    );
    expect(
      byType('alarm.cleared')
        .map((e) => (e.data as { alarm: string }).alarm)
        .sort(),
    ).toEqual([
      'cabinet.tamper',
      'door.forced',
      'door.held_open',
      'key.duplicate_fob',
      'key.duplicate_fob',
      'key.forced',
      'key.forced',
      'key.forced',
      'key.forced',
      'key.forced',
      'key.missing',
      'key.overdue',
      'key.swapped',
      'key.unknown_fob',
      'key.unknown_fob',
      'key.wrong_slot',
      'power.failed',
      'reader.card_flood',
      'reader.offline',
      'reader.tampered',
      'storage.backlog',
      'storage.corrupt',
      'storage.failed',
      'storage.full',
      'storage.readonly',
    ]);
  });
});

describe('every reply the command intake published matches docs/schemas/reply.json', () => {
  it('one reply per command, each valid', () => {
    expect(replies.length).toBe(22);
    expect(new Set(replies.map((r) => r.topic))).toEqual(new Set([REPLY_TOPIC]));
    const problems = replies.flatMap((r) =>
      validateMessage('reply', Buffer.from(r.payload)).map((p) => `${r.payload}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('every command name had an ok reply, and each form was produced', () => {
    const parsed = replies.map((r) => JSON.parse(r.payload) as { name: string; status: string });
    const ok = new Set(parsed.filter((r) => r.status === 'ok').map((r) => r.name));
    const names = (loadSchema('command').properties as { name: { enum: string[] } }).name.enum;
    expect([...ok].sort()).toEqual([...names].sort());
    expect(new Set(parsed.map((r) => r.status))).toEqual(new Set(['ok', 'rejected', 'failed']));
  });

  it('a reply of the wrong form is refused', () => {
    const ok = replies.map((r) => JSON.parse(r.payload) as Record<string, unknown>)[0] ?? {};
    expect(ok).toMatchObject({ name: 'ping', status: 'ok' });
    expect(validateMessage('reply', { ...ok, result: { version: '0.1.0' } })).toEqual([
      'result.time: is required',
      'result.lastSeq: is required',
    ]);
    expect(validateMessage('reply', { ...ok, reason: 'expired' })).toEqual([
      'reason: must be absent',
    ]);
    expect(validateMessage('reply', { ...ok, status: 'rejected' })).toEqual([
      'reason: is required',
      'message: is required',
      'result: must be absent',
    ]);
  });
});

describe('malformed events are refused, naming the field', () => {
  const sample = (type: EventType): RecordedEvent => {
    const event = byType(type)[0];
    if (!event) throw new Error(`no ${type} recorded`);
    return structuredClone(event);
  };

  it('a missing required data field, for every type', () => {
    const eventSchema = loadSchema('event') as {
      $defs: Record<string, { required?: string[] }>;
    };
    for (const event of recorded()) {
      for (const field of eventSchema.$defs[event.type]?.required ?? []) {
        const broken = structuredClone(event);
        delete (broken.data as Record<string, unknown>)[field];
        expect(validateMessage('event', broken), `${event.type} without ${field}`).toContain(
          `data.${field}: is required`,
        );
      }
    }
  });

  it('an unknown data field, for every type', () => {
    for (const event of recorded()) {
      const broken = { ...event, data: { ...event.data, colour: 'red' } };
      expect(validateMessage('event', broken), event.type).toContain(
        'data.colour: is not in the contract',
      );
    }
  });

  it('wrong values in data', () => {
    const forced = sample('key.forced');
    expect(validateMessage('event', { ...forced, data: { ...forced.data, slot: 0 } })).toEqual([
      'data.slot: must be >= 1',
    ]);
    const denied = sample('access.denied');
    expect(
      validateMessage('event', { ...denied, data: { ...denied.data, reason: 'bad_mood' } })[0],
    ).toMatch(/^data\.reason: must be one of "unknown_card"/);
    const unknown = sample('key.unknown_fob');
    expect(
      validateMessage('event', { ...unknown, data: { ...unknown.data, tag: 'beef0042' } }),
    ).toEqual(['data.tag: must match pattern "^[0-9A-F]{4,32}$"']);
    const granted = sample('access.granted');
    expect(
      validateMessage('event', { ...granted, data: { ...granted.data, card: '100086F444' } }),
    ).toEqual(['data.card: must match pattern "^….{1,4}$"']);
  });

  it('data of another type', () => {
    const forced = sample('key.forced');
    expect(validateMessage('event', { ...forced, type: 'door.forced' })).toEqual([
      'data.slot: is not in the contract',
      'data.keyId: is not in the contract',
      'data.keyLabel: is not in the contract',
    ]);
  });

  it('a broken envelope', () => {
    const event = sample('door.forced');
    const without = (field: keyof RecordedEvent) => {
      const copy: Partial<RecordedEvent> = { ...event };
      delete copy[field];
      return copy;
    };
    for (const field of Object.keys(event) as Array<keyof RecordedEvent>) {
      expect(validateMessage('event', without(field))).toContain(`${field}: is required`);
    }
    expect(validateMessage('event', { ...event, extra: 1 })).toEqual([
      'extra: is not in the contract',
    ]);
    expect(validateMessage('event', { ...event, type: 'key.teleported' })[0]).toMatch(
      /^type: must be one of /,
    );
    expect(validateMessage('event', { ...event, seq: 0 })).toEqual(['seq: must be >= 1']);
    expect(validateMessage('event', { ...event, seq: 1.5 })).toEqual(['seq: must be integer']);
    expect(validateMessage('event', { ...event, hash: event.hash.toUpperCase() })).toEqual([
      'hash: must match pattern "^[0-9a-f]{64}$"',
    ]);
    expect(validateMessage('event', { ...event, time: '2026-11-24T09:00:00Z' })).toHaveLength(1);
    expect(validateMessage('event', { ...event, clockSynced: 'yes' })).toEqual([
      'clockSynced: must be boolean',
    ]);
    expect(validateMessage('event', { ...event, monotonicMs: -1 })).toEqual([
      'monotonicMs: must be >= 0',
    ]);
    expect(validateMessage('event', Buffer.from('{"seq":'))[0]).toMatch(/^not JSON: /);
    expect(validateMessage('event', [])).toEqual(['(message): must be object']);
  });
});
