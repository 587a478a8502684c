import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { rabbitmqInstalled, startRabbitMq, type RabbitBroker } from '../support/rabbitmq.js';
import { mqtt311Cabinet } from './mqtt311-cabinet.js';

// The cabinet against a second broker implementation, RabbitMQ 3.10's MQTT plugin (Debian 12's
// rabbitmq-server; .ci/run installs it), started by the test as its own process on loopback
// ports. Nothing the cabinet needs depends on Mosquitto: with mqtt.protocolVersion 4 it runs
// here as it does there. What differs is written in docs/mqtt.md, "Other brokers", and shown
// below where a test can show it.
if (!rabbitmqInstalled()) {
  throw new Error(
    'rabbitmq-server is not installed (apt-get install rabbitmq-server; .ci/run does)',
  );
}

describe('the cabinet on RabbitMQ 3.10 (MQTT 3.1.1)', () => {
  let rabbit: RabbitBroker;
  mqtt311Cabinet({
    async start() {
      rabbit = await startRabbitMq();
      return rabbit;
    },
    centralProtocol: 4,
    monitorTopics: 'dots-as-levels',
    retainedToWildcards: false,
    // RabbitMQ maps MQTT topics onto AMQP routing keys, '/' to '.', and back, '.' to '/': the
    // dot inside an event type comes out as a topic level. The payload's `type` is intact.
    eventTopic: 'keywarden/v1/test-cab/event/key/unknown_fob',
  });

  it('closes an MQTT 5 connection without an answer: hence mqtt.protocolVersion 4', async () => {
    const client = mqtt.connect(rabbit.url, { protocolVersion: 5, reconnectPeriod: 0 });
    const outcome = await new Promise<string>((resolve) => {
      client.once('connect', () => resolve('connected'));
      client.once('close', () => resolve('closed'));
      client.once('error', (err) => resolve(`error: ${err.message}`));
    });
    await client.endAsync(true);
    expect(outcome).toBe('closed');
  });
});
