import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import type { HardwareProfile } from '../../src/config/profile-types.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteHomeAssistantTopics } from '../../src/store/home-assistant-topics.js';
import { silentLogger } from '../../src/log/logger.js';
import { ALARM_EVENT_TYPES } from '../../src/mqtt/home-assistant-discovery.js';
import { hardwareDir } from '../../src/paths.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { ALICE, seedCabinet } from '../support/seed.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Home Assistant's MQTT discovery (docs/mqtt.md, "Home Assistant"), the real daemon in process on
 * the simulated cabinet against a real Mosquitto. What Home Assistant would do with a config is
 * modelled here only as far as the configs use it: the keys it requires and accepts for each
 * component, and the `{{ value_json... }}` templates applied to the cabinet's retained states.
 */
const CABINET = 'ha-cab';
const PREFIX = `keywarden/v1/${CABINET}`;
const NODE = `keywarden_${CABINET}`;
const DISCOVERY = 'homeassistant';

let broker: Broker;
let watcher: MqttClient;
/** Every message the watcher saw, in order, under the discovery prefix and the cabinet's topics. */
const seen: Array<{ topic: string; payload: string }> = [];
const sim12 = loadProfile('sim', hardwareDir());

beforeAll(async () => {
  // Subscriptions logged: the test reads what the cabinet subscribed to.
  broker = await startMosquitto({ extraConfig: 'log_type subscribe' });
  watcher = mqtt.connect(broker.url, { protocolVersion: 5 });
  watcher.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }));
  await new Promise<void>((resolve) => watcher.once('connect', () => resolve()));
  await watcher.subscribeAsync([`${DISCOVERY}/#`, `${PREFIX}/#`], { qos: 1 });
});

afterAll(async () => {
  await watcher?.endAsync(true);
  await broker?.stop();
});

function freshDatabase(): string {
  return join(mkdtempSync(join(tmpdir(), 'keywarden-ha-')), 'cabinet.db');
}

async function startCabinet(
  database: string,
  homeAssistant?: Record<string, unknown>,
  profile: HardwareProfile = sim12,
): Promise<Daemon> {
  const daemon = new Daemon({
    config: testConfig({
      cabinetId: CABINET,
      database,
      mqtt: {
        url: broker.url,
        reconnectMs: 100,
        reconnectMaxMs: 500,
        ...(homeAssistant && { homeAssistant }),
      },
      sim: { host: '127.0.0.1', port: 0 },
      readers: { badgeQuietMs: 0 },
      cabinet: { sessionSeconds: 30, doorForcedDebounceMs: 0 },
    }),
    profile,
    logger: silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
  });
  await daemon.start();
  await waitFor(() => daemon.mqtt.connected, 'the cabinet connected');
  return daemon;
}

/** Stops the cabinet and waits until its offline status has reached the watcher. */
async function stopCabinet(daemon: Daemon): Promise<void> {
  const before = seen.length;
  await daemon.stop();
  await waitFor(
    () =>
      seen
        .slice(before)
        .some((m) => m.topic === `${PREFIX}/status` && m.payload.includes('"offline"')),
    'the offline status at the watcher',
  );
}

/** The topic filters the cabinet subscribed to, from Mosquitto's log, since the broker started. */
function cabinetSubscriptions(): string[] {
  const log = readFileSync(join(broker.dir, 'mosquitto.log'), 'utf8');
  const mine = new RegExp(`^\\d+: keywarden-${CABINET} \\d (.+)$`);
  return log.split('\n').flatMap((line) => mine.exec(line)?.slice(1) ?? []);
}

/** What the database remembers having published for Home Assistant. */
function remembered(database: string): string[] {
  const db = openDatabase(database, { readonly: true });
  try {
    return new SqliteHomeAssistantTopics(db).list();
  } finally {
    db.close();
  }
}

/** Publishes `payload` on each topic as someone other than the cabinet. */
async function forge(topics: string[], payload: (topic: string) => string, retain = true) {
  const attacker = mqtt.connect(broker.url, { protocolVersion: 5 });
  await new Promise<void>((resolve) => attacker.once('connect', () => resolve()));
  try {
    for (const topic of topics)
      await attacker.publishAsync(topic, payload(topic), { qos: 1, retain });
  } finally {
    await attacker.endAsync(true);
  }
}

/**
 * The retained messages the broker holds under `filter`: a probe subscribes to it and then to
 * a marker of its own; the broker sends each subscription's retained messages in order, so once
 * the marker is in, every retained message under `filter` is too.
 */
async function retained(filter: string): Promise<Map<string, string>> {
  const probe = mqtt.connect(broker.url, { protocolVersion: 5 });
  const marker = `test/marker/${randomUUID()}`;
  const found = new Map<string, string>();
  let done = false;
  probe.on('message', (topic, payload, packet) => {
    if (topic === marker) done = true;
    else if (packet.retain && payload.length > 0) found.set(topic, payload.toString());
  });
  try {
    await new Promise<void>((resolve) => probe.once('connect', () => resolve()));
    await probe.publishAsync(marker, 'x', { qos: 1, retain: true });
    await probe.subscribeAsync(filter, { qos: 1 });
    await probe.subscribeAsync(marker, { qos: 1 });
    await waitFor(() => done, 'the marker');
    await probe.publishAsync(marker, '', { qos: 1, retain: true });
  } finally {
    await probe.endAsync(true);
  }
  return found;
}

type Config = Record<string, unknown> & {
  state_topic: string;
  value_template?: string;
  payload_on?: string;
  payload_off?: string;
  availability_template: string;
};

async function configs(): Promise<Map<string, Config>> {
  const found = await retained(`${DISCOVERY}/#`);
  return new Map([...found].map(([topic, payload]) => [topic, JSON.parse(payload) as Config]));
}

/**
 * Home Assistant's reading of a value template, for the forms the configs use: a path into
 * the JSON payload (`.name`, `[index]`), optionally `| length`. Anything else fails the test.
 */
function render(template: string, payload: string): string {
  const match = /^\{\{ value_json((?:\.[a-z_]+|\[\d+\])*)( \| length)? \}\}$/.exec(template);
  if (!match) throw new Error(`a template this test does not model: ${template}`);
  let value: unknown = JSON.parse(payload);
  for (const step of match[1]?.match(/\.[a-z_]+|\[\d+\]/g) ?? []) {
    value = step.startsWith('.')
      ? (value as Record<string, unknown>)[step.slice(1)]
      : (value as unknown[])[Number(step.slice(1, -1))];
  }
  if (match[2]) return String((value as unknown[]).length);
  if (typeof value !== 'string') throw new Error(`${template} gives ${JSON.stringify(value)}`);
  return value;
}

/** A binary sensor's state as Home Assistant derives it from the retained state it reads. */
async function binaryState(config: Config): Promise<'on' | 'off' | 'unknown'> {
  const payload = (await retained(config.state_topic)).get(config.state_topic);
  if (payload === undefined || config.value_template === undefined) return 'unknown';
  const value = render(config.value_template, payload);
  return value === config.payload_on ? 'on' : value === config.payload_off ? 'off' : 'unknown';
}

async function availability(config: Config): Promise<string> {
  const topic = config.availability_topic as string;
  const payload = (await retained(topic)).get(topic);
  return payload === undefined ? 'unknown' : render(config.availability_template, payload);
}

const topicOf = (component: string, objectId: string) =>
  `${DISCOVERY}/${component}/${NODE}/${objectId}/config`;

/** Keys Home Assistant requires per component (its MQTT platform schemas), and those it knows. */
const REQUIRED: Record<string, string[]> = {
  binary_sensor: ['state_topic'],
  sensor: ['state_topic'],
  event: ['state_topic', 'event_types'],
};
const COMMON_KEYS = [
  'name',
  'unique_id',
  'availability_topic',
  'availability_template',
  'payload_available',
  'payload_not_available',
  'device',
  'origin',
  'qos',
  'icon',
  'device_class',
  'state_topic',
  'value_template',
  'json_attributes_topic',
  'json_attributes_template',
];
const KNOWN: Record<string, string[]> = {
  binary_sensor: [...COMMON_KEYS, 'payload_on', 'payload_off'],
  sensor: [...COMMON_KEYS],
  event: [...COMMON_KEYS, 'event_types'],
};
const BINARY_SENSOR_CLASSES = ['door', 'lock', 'presence', 'occupancy', 'opening', 'problem'];

const EXPECTED_TOPICS = [
  topicOf('binary_sensor', 'door_lock'),
  topicOf('binary_sensor', 'door'),
  ...Array.from({ length: 12 }, (_, i) => topicOf('binary_sensor', `slot_${i + 1}_key`)),
  topicOf('sensor', 'active_alarms'),
  topicOf('event', 'alarm'),
];

describe('Home Assistant discovery', () => {
  it('is off by default: nothing published, nothing subscribed, a forged config unanswered', async () => {
    const before = seen.length;
    const database = freshDatabase();
    const daemon = await startCabinet(database);
    // Someone publishes a config under this cabinet's node id: the cabinet, which reads nothing
    // under the discovery prefix, does not answer it.
    const forged = topicOf('lock', 'door_lock');
    await forge([forged], () => '{"name":"Door","command_topic":"x/set"}');
    await stopCabinet(daemon);
    const published = seen.slice(before).map((m) => m.topic);
    expect(published).toContain(`${PREFIX}/inventory`);
    const haTopics = (t: string) => t.startsWith(`${DISCOVERY}/`) || t.includes('/ha/');
    // The forged config, and nothing from the cabinet (an answer would be an empty message).
    expect(seen.slice(before).filter((m) => haTopics(m.topic))).toEqual([
      { topic: forged, payload: '{"name":"Door","command_topic":"x/set"}' },
    ]);
    expect(cabinetSubscriptions()).toContain(`${PREFIX}/ack`);
    expect(cabinetSubscriptions().filter((f) => f.startsWith(`${DISCOVERY}/`))).toEqual([]);
    expect(remembered(database)).toEqual([]);
    await forge([forged], () => '');
    expect(await retained(`${DISCOVERY}/#`)).toEqual(new Map());
  });

  let database: string;
  let daemon: Daemon;

  it('enabled: one retained config per entity, each as Home Assistant requires it', async () => {
    database = freshDatabase();
    seedCabinet(database, CABINET);
    daemon = await startCabinet(database, { enabled: true });
    await waitFor(async () => (await configs()).size === EXPECTED_TOPICS.length, 'the configs');
    const found = await configs();
    expect([...found.keys()].sort()).toEqual([...EXPECTED_TOPICS].sort());

    expect(found.get(topicOf('binary_sensor', 'door_lock'))).toEqual({
      name: 'Door lock',
      device_class: 'lock',
      state_topic: `${PREFIX}/ha/state`,
      value_template: '{{ value_json.lock }}',
      payload_on: 'unlocked',
      payload_off: 'locked',
      unique_id: `${NODE}_door_lock`,
      availability_topic: `${PREFIX}/status`,
      availability_template: '{{ value_json.state }}',
      payload_available: 'online',
      payload_not_available: 'offline',
      device: {
        identifiers: [NODE],
        name: `Keywarden ${CABINET}`,
        manufacturer: 'Keywarden',
        model: 'sim-12',
        sw_version: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown,
      },
      origin: { name: 'Keywarden', sw_version: expect.any(String) as unknown },
      qos: 1,
    });
    expect(found.get(topicOf('event', 'alarm'))).toMatchObject({
      state_topic: `${PREFIX}/ha/alarm`,
      event_types: [...ALARM_EVENT_TYPES],
    });

    const uniqueIds = new Set<unknown>();
    for (const [topic, config] of found) {
      const component = topic.split('/')[1] ?? '';
      for (const key of REQUIRED[component] ?? ['(unknown component)'])
        expect(config, `${topic} needs ${key}`).toHaveProperty(key);
      expect(Object.keys(config).filter((k) => !KNOWN[component]?.includes(k))).toEqual([]);
      // Read-only: nothing Home Assistant could send to.
      expect(JSON.stringify(config)).not.toMatch(/command_topic|_command|optimistic/);
      if (component === 'binary_sensor')
        expect(BINARY_SENSOR_CLASSES).toContain(config.device_class);
      expect(config.availability_topic).toBe(`${PREFIX}/status`);
      expect(config.device).toEqual(found.get(EXPECTED_TOPICS[0] ?? '')?.device);
      uniqueIds.add(config.unique_id);
    }
    expect(uniqueIds.size).toBe(found.size);
    expect(await availability(found.get(EXPECTED_TOPICS[0] ?? '') as Config)).toBe('online');
  });

  it('the entities follow the cabinet: lock, door, a key taken, an alarm as an event', async () => {
    const found = await configs();
    const entity = (component: string, id: string) => found.get(topicOf(component, id)) as Config;
    const lock = entity('binary_sensor', 'door_lock');
    const door = entity('binary_sensor', 'door');
    const slot1 = entity('binary_sensor', 'slot_1_key');
    const alarmsSensor = entity('sensor', 'active_alarms');
    const sim = daemon.sim;
    if (!sim) throw new Error('no simulator');

    await waitFor(async () => (await binaryState(slot1)) === 'on', 'K-1 hanging in slot 1');
    expect(await binaryState(lock)).toBe('off');
    expect(await binaryState(door)).toBe('off');
    expect(await binaryState(entity('binary_sensor', 'slot_3_key'))).toBe('off');

    sim.badge(ALICE);
    await waitFor(async () => (await binaryState(lock)) === 'on', 'the lock unlocked');
    sim.openDoor();
    await waitFor(async () => (await binaryState(door)) === 'on', 'the door open');
    sim.take(1);
    await waitFor(async () => (await binaryState(slot1)) === 'off', 'slot 1 empty');
    sim.closeDoor();
    await waitFor(async () => (await binaryState(door)) === 'off', 'the door closed');
    await waitFor(async () => (await binaryState(lock)) === 'off', 'the lock locked again');

    const events = () =>
      seen
        .filter((m) => m.topic === `${PREFIX}/ha/alarm`)
        .map((m) => JSON.parse(m.payload) as Record<string, unknown>);
    expect(events()).toEqual([]);
    sim.openDoor(true);
    await waitFor(() => events().length === 1, 'the alarm event');
    const alarms = (await retained(`${PREFIX}/alarms`)).get(`${PREFIX}/alarms`) ?? '';
    expect(render(alarmsSensor.value_template ?? '', alarms)).toBe('1');
    const raised = (JSON.parse(alarms) as { alarms: Array<{ since: string }> }).alarms[0];
    expect(events()[0]).toEqual({ event_type: 'door.forced', since: raised?.since });
    // The event is announced once: later changes of the cabinet do not repeat it.
    sim.closeDoor();
    await waitFor(async () => (await binaryState(door)) === 'off', 'the door closed');
    expect(events()).toHaveLength(1);
    // Home Assistant ignores a retained event: the topic holds none.
    expect(await retained(`${PREFIX}/ha/alarm`)).toEqual(new Map());
  });

  it('a message anyone publishes on the Home Assistant topics changes nothing in the cabinet', async () => {
    const lastSeq = daemon.eventLog.lastSeq();
    const state = daemon.runner.current;
    const cabinet = () => JSON.stringify(daemon.sim?.snapshot());
    const cabinetBefore = cabinet();
    const ours = (await configs()).get(topicOf('binary_sensor', 'door_lock'));
    // What Home Assistant would send to a lock, on every topic it could guess.
    for (const payload of ['UNLOCK', 'OPEN', '{"door":"open","lock":"unlocked"}']) {
      const topics = [
        `${DISCOVERY}/lock/${NODE}/door_lock/set`,
        `${DISCOVERY}/binary_sensor/${NODE}/door_lock/set`,
        `${PREFIX}/ha/state/set`,
        `${PREFIX}/ha/alarm`,
      ];
      await forge(topics, () => payload, false);
    }
    // Our lock's config replaced by one that asks for commands, and a lock added under our node
    // id. The cabinet reads nothing there, so it answers neither: the broker's ACL is what keeps
    // others from writing under the discovery prefix (docs/mqtt.md).
    const forged = { ...ours, command_topic: `${PREFIX}/ha/state/set`, optimistic: true };
    const before = seen.length;
    await forge([topicOf('binary_sensor', 'door_lock'), topicOf('lock', 'door_lock')], () =>
      JSON.stringify(forged),
    );
    // A retained message of the cabinet's own, sent after the forgeries reached the broker: once
    // the watcher has it, any answer the cabinet would have made has had its chance.
    daemon.mqtt.retained.invalidate(`${PREFIX}/inventory`);
    daemon.mqtt.retained.refresh();
    await waitFor(
      () => seen.slice(before).some((m) => m.topic === `${PREFIX}/inventory`),
      'the inventory published again',
    );
    const fromUs = seen
      .slice(before)
      .filter((m) => m.topic.startsWith(`${DISCOVERY}/`) && m.payload !== JSON.stringify(forged));
    expect(fromUs).toEqual([]);

    // Its own config goes out again at its next connection; the lock it never published stays
    // for whoever may clear it.
    daemon.mqtt.client.stream.destroy();
    await waitFor(
      async () =>
        JSON.stringify((await configs()).get(topicOf('binary_sensor', 'door_lock'))) ===
        JSON.stringify(ours),
      'our own config back after a reconnect',
    );
    expect((await configs()).has(topicOf('lock', 'door_lock'))).toBe(true);
    await forge([topicOf('lock', 'door_lock')], () => '');
    expect(daemon.eventLog.lastSeq()).toBe(lastSeq);
    expect(daemon.runner.current.session).toBe(state.session);
    expect(daemon.runner.current.emergency).toBeNull();
    expect(cabinet()).toBe(cabinetBefore);
    expect(daemon.sim?.snapshot().door.unlocked).toBe(false);
  });

  it('a flood of forged configs under its node id: the cabinet publishes nothing in answer', async () => {
    const flood = Array.from({ length: 300 }, (_, i) => topicOf('binary_sensor', `forged_${i}`));
    const before = seen.length;
    await forge(flood, (topic) => JSON.stringify({ name: topic, state_topic: 'x' }));
    // A reconnect, when the old cabinet read its configs back and answered every stranger.
    daemon.mqtt.client.stream.destroy();
    await waitFor(
      () =>
        seen
          .slice(before)
          .some((m) => m.topic === `${PREFIX}/status` && m.payload.includes('"online"')),
      'the cabinet back online',
    );
    // The reconnect republishes its own configs, after its status: wait for the last of them.
    await waitFor(
      () => seen.slice(before).some((m) => m.topic === topicOf('event', 'alarm')),
      'its configs published again',
    );
    const fromUs = seen
      .slice(before)
      .filter((m) => m.topic.startsWith(`${DISCOVERY}/`) && !flood.includes(m.topic));
    expect(fromUs.map((m) => m.topic).sort()).toEqual([...EXPECTED_TOPICS].sort());
    expect(seen.slice(before).filter((m) => flood.includes(m.topic) && m.payload === '')).toEqual(
      [],
    );
    await forge(flood, () => '');
  });

  it('availability follows the status: the last will makes every entity unavailable', async () => {
    const lock = (await configs()).get(topicOf('binary_sensor', 'door_lock')) as Config;
    expect(await availability(lock)).toBe('online');
    const client = daemon.mqtt.client;
    client.options.reconnectPeriod = 0; // stay dead once the socket goes
    client.stream.destroy(); // the process died: no DISCONNECT, the broker publishes the will
    await waitFor(async () => (await availability(lock)) === 'offline', 'the will');
    expect(lock.payload_not_available).toBe('offline');
    await daemon.stop();
  });

  it('turned off: every config it published is cleared, and its door state, nothing else', async () => {
    expect((await configs()).size).toBe(EXPECTED_TOPICS.length);
    expect(remembered(database).sort()).toEqual([...EXPECTED_TOPICS, `${PREFIX}/ha/state`].sort());
    // A config under its node id that it never published: not its own to clear.
    const stranger = topicOf('sensor', 'stranger');
    await forge([stranger], () => '{"name":"Stranger","state_topic":"x"}');
    const before = seen.length;
    daemon = await startCabinet(database, { enabled: false });
    await waitFor(async () => (await configs()).size === 1, 'every config of its own cleared');
    expect([...(await configs()).keys()]).toEqual([stranger]);
    expect(await retained(`${PREFIX}/ha/#`)).toEqual(new Map());
    await waitFor(() => remembered(database).length === 0, 'the clears acknowledged');
    await stopCabinet(daemon);
    // Nothing but the empty configs that clear them went out under the prefix, once each.
    const published = seen
      .slice(before)
      .filter((m) => m.topic.startsWith(`${DISCOVERY}/`) || m.topic.includes('/ha/'));
    expect(published.map((m) => m.payload)).toEqual(published.map(() => ''));
    expect(published.map((m) => m.topic).sort()).toEqual(
      [...EXPECTED_TOPICS, `${PREFIX}/ha/state`].sort(),
    );
    // Started again while off: nothing left to clear, nothing published.
    const again = seen.length;
    await stopCabinet(await startCabinet(database, { enabled: false }));
    expect(seen.slice(again).filter((m) => m.topic.startsWith(`${DISCOVERY}/`))).toEqual([]);
    await forge([stranger], () => '');
  });

  it('restarted while on: the same configs once each; a slot the profile lost is cleared', async () => {
    const db = freshDatabase();
    const twelve = await startCabinet(db, { enabled: true });
    await waitFor(async () => (await configs()).size === EXPECTED_TOPICS.length, 'the configs');
    await stopCabinet(twelve);

    const underPrefix = (from: number) =>
      seen.slice(from).filter((m) => m.topic.startsWith(`${DISCOVERY}/`));
    let before = seen.length;
    await stopCabinet(await startCabinet(db, { enabled: true }));
    // Once each, unchanged, nothing cleared.
    expect(
      underPrefix(before)
        .map((m) => m.topic)
        .sort(),
    ).toEqual([...EXPECTED_TOPICS].sort());
    expect(underPrefix(before).filter((m) => m.payload === '')).toEqual([]);

    const sim4: HardwareProfile = {
      ...sim12,
      model: 'sim-4',
      slotCount: 4,
      slots: sim12.slots.slice(0, 4),
    };
    before = seen.length;
    const four = await startCabinet(db, { enabled: true }, sim4);
    const lost = /slot_([5-9]|1\d)_key/;
    const expected = EXPECTED_TOPICS.filter((t) => !lost.test(t));
    await waitFor(async () => (await configs()).size === expected.length, 'slots 5-12 cleared');
    expect([...(await configs()).keys()].sort()).toEqual([...expected].sort());
    expect((await configs()).get(topicOf('sensor', 'active_alarms'))?.device).toMatchObject({
      model: 'sim-4',
    });
    await waitFor(() => remembered(db).length === expected.length + 1, 'the clears recorded');
    await stopCabinet(four);
    const cleared = underPrefix(before).filter((m) => m.payload === '');
    expect(cleared.map((m) => m.topic).sort()).toEqual(
      EXPECTED_TOPICS.filter((t) => lost.test(t)).sort(),
    );
    expect(remembered(db).sort()).toEqual([...expected, `${PREFIX}/ha/state`].sort());
    // Turned off again, for the tests after this one.
    await stopCabinet(await startCabinet(db, { enabled: false }));
    expect(await configs()).toEqual(new Map());
  });

  it('another discovery prefix: the configs go there, and those under the old one are cleared', async () => {
    const prefix = 'ha-test/discovery';
    const db = freshDatabase();
    const first = await startCabinet(db, { enabled: true });
    await waitFor(async () => (await configs()).size === EXPECTED_TOPICS.length, 'the configs');
    await stopCabinet(first);
    const other = await startCabinet(db, { enabled: true, discoveryPrefix: prefix });
    await waitFor(
      async () => (await retained(`${prefix}/#`)).size === EXPECTED_TOPICS.length,
      'the configs under the other prefix',
    );
    await waitFor(async () => (await configs()).size === 0, 'the old prefix cleared');
    await stopCabinet(other);
    await stopCabinet(await startCabinet(db, { enabled: false }));
    expect(await retained(`${prefix}/#`)).toEqual(new Map());
  });
});
