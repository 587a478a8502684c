import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadSchema } from '../../src/contract/schemas.js';
import {
  ALARM_EVENT_TYPES,
  alarmEventPayload,
  discoveryConfigs,
  homeAssistantStateTopics,
  statePayload,
} from '../../src/mqtt/home-assistant-discovery.js';
import { topicsFor } from '../../src/mqtt/topics.js';
import { packageRoot } from '../../src/paths.js';

/** The pure half of the Home Assistant discovery; home-assistant.test.ts runs it on a broker. */

it('offers the event entity every alarm type the alarms state may list', () => {
  const schema = loadSchema('alarms') as {
    properties: { alarms: { items: { properties: { type: { enum: string[] } } } } };
  };
  const listed = schema.properties.alarms.items.properties.type.enum;
  expect([...ALARM_EVENT_TYPES].sort()).toEqual([...listed].sort());
});

it('builds one config topic per entity under the prefix and node id, whatever the prefix', () => {
  const topics = topicsFor('site/keys', 'cab-7');
  const configs = discoveryConfigs(
    'ha/disc',
    topics,
    homeAssistantStateTopics('site/keys', 'cab-7'),
    { cabinetId: 'cab-7', model: 'rpi-8slot', version: '1.2.3', slotCount: 2 },
  );
  expect(configs.map((c) => c.topic)).toEqual([
    'ha/disc/binary_sensor/keywarden_cab-7/door_lock/config',
    'ha/disc/binary_sensor/keywarden_cab-7/door/config',
    'ha/disc/binary_sensor/keywarden_cab-7/slot_1_key/config',
    'ha/disc/binary_sensor/keywarden_cab-7/slot_2_key/config',
    'ha/disc/sensor/keywarden_cab-7/active_alarms/config',
    'ha/disc/event/keywarden_cab-7/alarm/config',
  ]);
  expect(JSON.parse(configs[3]?.payload ?? '')).toMatchObject({
    name: 'Slot 2 key',
    state_topic: 'site/keys/cab-7/ha/state',
    value_template: '{{ value_json.slots[1] }}',
    availability_topic: 'site/keys/cab-7/status',
    device: { model: 'rpi-8slot', sw_version: '1.2.3' },
  });
});

it('writes the state and an alarm event as the configs read them', () => {
  const snapshot = { doorOpen: true, unlocked: false, occupied: [true, false, true] };
  expect(JSON.parse(statePayload(snapshot))).toEqual({
    door: 'open',
    lock: 'locked',
    slots: ['occupied', 'empty', 'occupied'],
  });
  expect(JSON.parse(statePayload({ doorOpen: false, unlocked: true, occupied: [] }))).toEqual({
    door: 'closed',
    lock: 'unlocked',
    slots: [],
  });
  expect(
    JSON.parse(
      alarmEventPayload({ type: 'key.forced', slot: 4, since: '2026-12-07T10:00:00.000Z' }),
    ),
  ).toEqual({ event_type: 'key.forced', slot: 4, since: '2026-12-07T10:00:00.000Z' });
});

/** The JSON block after `<!-- example:<name> -->` in docs/mqtt.md. */
function docExample(name: string): unknown {
  const doc = readFileSync(join(packageRoot(), 'docs', 'mqtt.md'), 'utf8');
  const match = new RegExp(`<!-- example:${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(
    doc,
  );
  if (!match?.[1]) throw new Error(`docs/mqtt.md has no <!-- example:${name} --> block`);
  return JSON.parse(match[1]);
}

it("docs/mqtt.md's examples are what the cabinet of its examples publishes", () => {
  const cabinetId = 'store-3-cabinet-a';
  const [doorLock] = discoveryConfigs(
    'homeassistant',
    topicsFor('keywarden/v1', cabinetId),
    homeAssistantStateTopics('keywarden/v1', cabinetId),
    { cabinetId, model: 'rpi-8slot', version: '0.1.0', slotCount: 8 },
  );
  expect(doorLock?.topic).toBe(
    `homeassistant/binary_sensor/keywarden_${cabinetId}/door_lock/config`,
  );
  expect(docExample('ha-door-lock')).toEqual(JSON.parse(doorLock?.payload ?? ''));
  const occupied = [true, false, true, true, true, true, true, true];
  expect(docExample('ha-state')).toEqual(
    JSON.parse(statePayload({ doorOpen: false, unlocked: false, occupied })),
  );
});
