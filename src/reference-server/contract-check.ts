import { validateMessage } from '../contract/schemas.js';
import { parseTopic, type BrokerTopics, type ParsedTopic } from './topics.js';

export interface ContractCheck {
  /** What the topic is; undefined when it is not a Keywarden topic under the prefix. */
  topic: ParsedTopic | undefined;
  /** The parsed payload, when it is JSON. */
  payload: unknown;
  /** Everything that disagrees with the contract; empty when the message is valid. */
  problems: string[];
}

/**
 * Checks one published message against the contract: its topic, its payload against the
 * schema of that topic (unless `schemas` is false), and the fields the topic repeats (cabinet
 * id, event type, command name). `broker` says how the broker delivers topics (topics.ts): with
 * `dots-as-levels` (RabbitMQ) an event's type is read from its topic's levels, and must still
 * agree with the payload's `type`.
 */
export function checkPublished(
  prefix: string,
  topic: string,
  payload: Buffer,
  schemas = true,
  broker: BrokerTopics = 'as-published',
): ContractCheck {
  const parsed = parseTopic(prefix, topic, broker);
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8')) as unknown;
  } catch (error) {
    return {
      topic: parsed,
      payload: undefined,
      problems: [`not JSON: ${(error as Error).message}`],
    };
  }
  if (!parsed) {
    // A dot where the broker turns every dot into a level: not what this broker delivers, so
    // either a mistaken --rabbitmq, or not RabbitMQ at all.
    const why =
      broker === 'dots-as-levels' && topic.includes('.')
        ? ': it has a dot, which RabbitMQ never delivers (is the broker RabbitMQ?)'
        : '';
    return {
      topic: parsed,
      payload: value,
      problems: [`not a topic of the contract under ${prefix}/${why}`],
    };
  }
  const problems = schemas ? validateMessage(parsed.kind, value) : [];
  const fields =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const expect = (field: string, wanted: string): void => {
    if (field in fields && fields[field] !== wanted) {
      problems.push(
        `${field}: ${JSON.stringify(fields[field])} does not match the topic (${wanted})`,
      );
    }
  };
  if (parsed.kind !== 'ack' && parsed.kind !== 'reply') expect('cabinetId', parsed.cabinetId);
  if (parsed.kind === 'event') expect('type', parsed.type);
  if (parsed.kind === 'command') expect('name', parsed.name);
  return { topic: parsed, payload: value, problems };
}
