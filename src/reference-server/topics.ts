import type { MessageKind } from '../contract/schemas.js';

/** What a topic under the prefix is, by the topic contract (src/mqtt/topics.ts). */
export type ParsedTopic =
  | { kind: 'event'; cabinetId: string; type: string }
  | { kind: 'command'; cabinetId: string; name: string }
  | { kind: Exclude<MessageKind, 'event' | 'command'>; cabinetId: string };

/**
 * How the broker hands topics to subscribers. `as-published`: as the publisher wrote them (MQTT's
 * rule; Mosquitto). `dots-as-levels`: RabbitMQ's MQTT plugin maps topics to AMQP routing keys
 * and back, so every `.` of a published topic arrives as a `/`: an event published on
 * `…/event/key.checked_in` arrives on `…/event/key/checked_in`, and no delivered topic has a dot.
 */
export type BrokerTopics = 'as-published' | 'dots-as-levels';

const SINGLE: Record<string, ParsedTopic['kind']> = {
  status: 'status',
  inventory: 'inventory',
  alarms: 'alarms',
  ack: 'ack',
  reply: 'reply',
};

/**
 * `<prefix>/<cabinetId>/<kind>[/<type or name>]`; undefined for anything else. With
 * `dots-as-levels`, an event's type is its remaining levels joined by dots (the payload's `type`
 * must then agree, contract-check.ts), and a topic with a dot is not one this broker delivers.
 */
export function parseTopic(
  prefix: string,
  topic: string,
  broker: BrokerTopics = 'as-published',
): ParsedTopic | undefined {
  const dotted = broker === 'dots-as-levels';
  // The prefix's own dots arrive as levels too; cabinet ids have none (config schema).
  const delivered = dotted ? prefix.replaceAll('.', '/') : prefix;
  if (!topic.startsWith(`${delivered}/`)) return undefined;
  if (dotted && topic.includes('.')) return undefined;
  const [cabinetId, what, name, ...rest] = topic.slice(delivered.length + 1).split('/');
  if (!cabinetId || !what) return undefined;
  if (what === 'event' && dotted && name !== undefined) {
    const levels = [name, ...rest];
    if (levels.includes('')) return undefined;
    return { kind: 'event', cabinetId, type: levels.join('.') };
  }
  if (rest.length > 0) return undefined;
  if (name !== undefined) {
    if (name === '') return undefined;
    if (what === 'event') return { kind: 'event', cabinetId, type: name };
    if (what === 'cmd') return { kind: 'command', cabinetId, name };
    return undefined;
  }
  const kind = SINGLE[what];
  return kind && kind !== 'event' && kind !== 'command' ? { kind, cabinetId } : undefined;
}
