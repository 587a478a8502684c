import type { IPublishPacket, MqttClient } from 'mqtt';
import type { CommandReply } from '../contract/command-reply.js';
import type { Logger } from '../log/logger.js';

/** A reply nobody fetched within five minutes answers a question nobody is still asking. */
export const REPLY_EXPIRY_SECONDS = 300;

export interface ReplyAddress {
  topic: string;
  correlationData?: Buffer;
  /** The response topic the command asked for, when it was not used (shortened). */
  refusedResponseTopic?: string;
}

/**
 * Where the reply to a command goes: the MQTT 5 response topic with the correlation data when
 * the command carried them, else `<prefix>/<cabinetId>/reply`. The response topic is not signed
 * (it is a packet property, and any publisher on `cmd/+` may set it), so it is used only where a
 * reply does no harm: this cabinet's reply topic or a topic below it. Anything else, another
 * cabinet's topics, this cabinet's event, status or cmd topics, or a topic outside the Keywarden
 * tree (`home/garage/door/set`), would let whoever can publish a command make the cabinet write
 * there under its own broker identity; such a reply goes to the default topic instead, and the
 * caller counts the refusal (`refusedResponseTopic`) rather than logging each one.
 */
export function replyAddress(packet: IPublishPacket, defaultTopic: string): ReplyAddress {
  const { responseTopic, correlationData } = packet.properties ?? {};
  if (responseTopic === undefined) return { topic: defaultTopic };
  const usable =
    !/[+#]/.test(responseTopic) &&
    !responseTopic.includes('\u0000') &&
    (responseTopic === defaultTopic || responseTopic.startsWith(`${defaultTopic}/`));
  if (!usable) return { topic: defaultTopic, refusedResponseTopic: responseTopic.slice(0, 200) };
  return correlationData === undefined
    ? { topic: responseTopic }
    : { topic: responseTopic, correlationData };
}

/** QoS 1 with a message expiry, so a reply to a cabinet's question dies in the broker unread. */
export function publishReply(
  client: MqttClient,
  address: ReplyAddress,
  reply: CommandReply,
  logger: Logger,
): void {
  const properties: NonNullable<IPublishPacket['properties']> = {
    messageExpiryInterval: REPLY_EXPIRY_SECONDS,
    contentType: 'application/json',
  };
  if (address.correlationData) properties.correlationData = address.correlationData;
  client.publish(address.topic, JSON.stringify(reply), { qos: 1, properties }, (err) => {
    if (err) {
      logger.warn(
        { err, topic: address.topic, commandId: reply.commandId },
        'could not publish a command reply',
      );
    }
  });
}
