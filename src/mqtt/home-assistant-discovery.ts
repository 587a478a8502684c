import type { ActiveAlarm, AlarmType } from '../domain/cabinet-state.js';
import type { Topics } from './topics.js';

/**
 * Home Assistant's MQTT discovery for one cabinet (docs/mqtt.md, "Home Assistant"): the retained
 * config of each entity, and the payloads of the two state topics the cabinet adds for it. Pure:
 * home-assistant.ts publishes them.
 *
 * One config topic per entity (`<discoveryPrefix>/<component>/<nodeId>/<objectId>/config`)
 * rather than device-based discovery (one topic holding every entity, Home Assistant 2024.11 and
 * later): every Home Assistant release with MQTT discovery reads it, and a slot the profile no
 * longer has is removed by an empty retained config on its own topic.
 *
 * Every entity is read-only. Home Assistant's MQTT `lock` requires a `command_topic`, so the
 * door's lock is a `binary_sensor` of device class `lock` instead: a key cabinet opens for a
 * badge the policy accepts, or for the central server's signed command, never for an unsigned
 * MQTT message, and no config here names a topic Home Assistant could send to.
 */

/** Every alarm the alarms state can list: the event entity's `event_types`. */
export const ALARM_EVENT_TYPES = [
  'door.forced',
  'door.held_open',
  'key.forced',
  'key.wrong_slot',
  'key.unknown_fob',
  'key.overdue',
  'key.swapped',
  'key.duplicate_fob',
  'key.missing',
  'reader.offline',
  'reader.tampered',
  'reader.card_flood',
  'cabinet.tamper',
  'power.failed',
  'storage.backlog',
  'storage.full',
  'storage.readonly',
  'storage.corrupt',
  'storage.failed',
] as const satisfies readonly AlarmType[];

// A new alarm type that is not listed above fails to compile here: Home Assistant drops an event
// whose type its entity was not told of.
type UnlistedAlarm = Exclude<AlarmType, (typeof ALARM_EVENT_TYPES)[number]>;
export const EVERY_ALARM_LISTED: [UnlistedAlarm] extends [never] ? true : never = true;

export interface HomeAssistantDevice {
  cabinetId: string;
  /** The hardware profile's model (`rpi-8slot`). */
  model: string;
  /** The Keywarden version. */
  version: string;
  slotCount: number;
}

/**
 * The cabinet's own topics Home Assistant reads besides the status and the alarms. The key
 * presence is here rather than read from the inventory, which names the holders of the keys
 * out: Home Assistant's broker user needs no access to it.
 */
export interface HomeAssistantStateTopics {
  /** Retained: the door, its lock and each slot (`CabinetSnapshot`, `statePayload`). */
  state: string;
  /** Not retained: one message per alarm raised, for the event entity. */
  alarm: string;
}

export function homeAssistantStateTopics(
  topicPrefix: string,
  cabinetId: string,
): HomeAssistantStateTopics {
  const base = `${topicPrefix}/${cabinetId}/ha`;
  return { state: `${base}/state`, alarm: `${base}/alarm` };
}

/** The discovery node id: every config topic of this cabinet has it as its third level. */
export function homeAssistantNodeId(cabinetId: string): string {
  return `keywarden_${cabinetId}`;
}

export interface DiscoveryConfig {
  topic: string;
  /** The retained payload: compact JSON. */
  payload: string;
}

type Component = 'binary_sensor' | 'sensor' | 'event';

/** What the state topic tells of the cabinet. */
export interface CabinetSnapshot {
  doorOpen: boolean;
  /** The door's lock driven open (a session, an emergency release). */
  unlocked: boolean;
  /** Whether a key is in each slot; index i is slot i + 1. */
  occupied: readonly boolean[];
}

/** The state payload (retained on `HomeAssistantStateTopics.state`). */
export function statePayload(cabinet: CabinetSnapshot): string {
  return JSON.stringify({
    door: cabinet.doorOpen ? 'open' : 'closed',
    lock: cabinet.unlocked ? 'unlocked' : 'locked',
    slots: cabinet.occupied.map((occupied) => (occupied ? 'occupied' : 'empty')),
  });
}

/** One alarm raised, as Home Assistant's event entity reads it: `event_type` and attributes. */
export function alarmEventPayload(alarm: ActiveAlarm): string {
  const { type, ...rest } = alarm;
  return JSON.stringify({ event_type: type, ...rest });
}

/** Every entity's retained discovery config, in a fixed order. */
export function discoveryConfigs(
  discoveryPrefix: string,
  topics: Pick<Topics, 'status' | 'alarms'>,
  state: HomeAssistantStateTopics,
  device: HomeAssistantDevice,
): DiscoveryConfig[] {
  const nodeId = homeAssistantNodeId(device.cabinetId);
  const common = {
    // The status is JSON; its `state` is `online`, or `offline` (a stop, or the last will).
    availability_topic: topics.status,
    availability_template: '{{ value_json.state }}',
    payload_available: 'online',
    payload_not_available: 'offline',
    device: {
      identifiers: [nodeId],
      name: `Keywarden ${device.cabinetId}`,
      manufacturer: 'Keywarden',
      model: device.model,
      sw_version: device.version,
    },
    origin: { name: 'Keywarden', sw_version: device.version },
    qos: 1,
  };
  const config = (
    component: Component,
    objectId: string,
    entity: Record<string, unknown>,
  ): DiscoveryConfig => ({
    topic: `${discoveryPrefix}/${component}/${nodeId}/${objectId}/config`,
    payload: JSON.stringify({ ...entity, unique_id: `${nodeId}_${objectId}`, ...common }),
  });

  const slots = Array.from({ length: device.slotCount }, (_, i) =>
    config('binary_sensor', `slot_${i + 1}_key`, {
      name: `Slot ${i + 1} key`,
      device_class: 'presence',
      state_topic: state.state,
      value_template: `{{ value_json.slots[${i}] }}`,
      payload_on: 'occupied',
      payload_off: 'empty',
    }),
  );
  return [
    config('binary_sensor', 'door_lock', {
      name: 'Door lock',
      // Device class lock: on means unlocked.
      device_class: 'lock',
      state_topic: state.state,
      value_template: '{{ value_json.lock }}',
      payload_on: 'unlocked',
      payload_off: 'locked',
    }),
    config('binary_sensor', 'door', {
      name: 'Door',
      device_class: 'door',
      state_topic: state.state,
      value_template: '{{ value_json.door }}',
      payload_on: 'open',
      payload_off: 'closed',
    }),
    ...slots,
    config('sensor', 'active_alarms', {
      name: 'Active alarms',
      icon: 'mdi:alarm-light',
      state_topic: topics.alarms,
      value_template: '{{ value_json.alarms | length }}',
      json_attributes_topic: topics.alarms,
      json_attributes_template: '{{ {"alarms": value_json.alarms} | tojson }}',
    }),
    config('event', 'alarm', {
      name: 'Alarm',
      state_topic: state.alarm,
      event_types: [...ALARM_EVENT_TYPES],
    }),
  ];
}
