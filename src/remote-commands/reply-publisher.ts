import type { IPublishPacket, MqttClient } from 'mqtt';
import type { CommandReply } from '../contract/command-reply.js';
import type { Logger } from '../log/logger.js';

/** A reply nobody fetched within five minutes answers a question nobody is still asking. */
export const REPLY_EXPIRY_SECONDS = 300;

export interface ReplyAddress {
  topic: string;
  correlationData?: Buffer;
}

/**
 * Where the reply to a command goes: the MQTT 5 response topic with the correlation data when
 * the command carried them, else `<prefix>/<cabinetId>/reply`. The response topic is not signed
 * (it is a packet property), so it is used only where a reply does no harm: a topic of the
 * command protocol's own (this cabinet's reply topic or below it) or one outside the Keywarden
 * tree. Anything else under the prefix (this cabinet's event, status or cmd topics, another
 * cabinet's) would let whoever can publish a command make the cabinet write there; such a
 * reply goes to the default topic instead, with a warning.
 */
export function replyAddress(
  packet: IPublishPacket,
  defaultTopic: string,
  topicPrefix: string,
  logger: Logger,
): ReplyAddress {
  const { responseTopic, correlationData } = packet.properties ?? {};
  if (responseTopic === undefined) return { topic: defaultTopic };
  const usable =
    responseTopic.length > 0 &&
    !/[+#]/.test(responseTopic) &&
    !responseTopic.includes('\u0000') &&
    (!responseTopic.startsWith(`${topicPrefix}/`) ||
      responseTopic === defaultTopic ||
      responseTopic.startsWith(`${defaultTopic}/`));
  if (!usable) {
    logger.warn(
      { responseTopic: responseTopic.slice(0, 200), replyTopic: defaultTopic },
      'response topic refused; replying on the default reply topic',
    );
    return { topic: defaultTopic };
  }
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
