import type { MessageKind } from '../contract/schemas.js';

/** What a topic under the prefix is, by the topic contract (src/mqtt/topics.ts). */
export type ParsedTopic =
  | { kind: 'event'; cabinetId: string; type: string }
  | { kind: 'command'; cabinetId: string; name: string }
  | { kind: Exclude<MessageKind, 'event' | 'command'>; cabinetId: string };

const SINGLE: Record<string, ParsedTopic['kind']> = {
  status: 'status',
  inventory: 'inventory',
  alarms: 'alarms',
  ack: 'ack',
  reply: 'reply',
};

/** `<prefix>/<cabinetId>/<kind>[/<type or name>]`; undefined for anything else. */
export function parseTopic(prefix: string, topic: string): ParsedTopic | undefined {
  if (!topic.startsWith(`${prefix}/`)) return undefined;
  const [cabinetId, what, name, ...rest] = topic.slice(prefix.length + 1).split('/');
  if (!cabinetId || !what || rest.length > 0) return undefined;
  if (name !== undefined) {
    if (name === '') return undefined;
    if (what === 'event') return { kind: 'event', cabinetId, type: name };
    if (what === 'cmd') return { kind: 'command', cabinetId, name };
    return undefined;
  }
  const kind = SINGLE[what];
  return kind && kind !== 'event' && kind !== 'command' ? { kind, cabinetId } : undefined;
}
