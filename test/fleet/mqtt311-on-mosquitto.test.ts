import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { mqtt311Cabinet } from './mqtt311-cabinet.js';

// mqtt.protocolVersion 4 against Mosquitto, with a central server on MQTT 5: the fallback
// proven on the broker the other tests use, so that a difference on RabbitMQ
// (rabbitmq.test.ts) is RabbitMQ's, not the fallback's.
describe('the cabinet on MQTT 3.1.1, Mosquitto', () => {
  let mosquitto: Broker;
  mqtt311Cabinet({
    async start() {
      mosquitto = await startMosquitto();
      return mosquitto;
    },
    centralProtocol: 5,
    monitorTopics: 'as-published',
    retainedToWildcards: true,
    eventTopic: 'keywarden/v1/test-cab/event/key.unknown_fob',
    protocolEvidence() {
      // Mosquitto logs each client's protocol by its own numbering: p2 is MQTT 3.1.1, p5 MQTT 5.
      const log = readFileSync(join(mosquitto.dir, 'mosquitto.log'), 'utf8');
      expect(log).toMatch(/as keywarden-test-cab \(p2,/);
    },
  });
});
