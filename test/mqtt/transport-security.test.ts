import { expect, it } from 'vitest';
import { assertTransportAllowed } from '../../src/mqtt/transport-security.js';
import { testConfig } from '../support/test-config.js';

/**
 * Issue 11, finding 5, reviewed again: only TLS passes without `mqtt.allowPlainText`; MQTT.js's
 * other plain spelling, `tcp://`, never reaches the check because the config refuses it.
 */
const withUrl = (url: string, allowPlainText = false) =>
  testConfig({ mqtt: { url, allowPlainText } });

it.each(['mqtt://127.0.0.1:1883', 'ws://127.0.0.1:9001'])(
  '%s is refused without mqtt.allowPlainText',
  (url) => {
    expect(() => assertTransportAllowed(withUrl(url))).toThrow(/plain text.*allowPlainText/s);
  },
);

it.each(['mqtts://broker:8883', 'wss://broker/mqtt'])('%s passes: it is TLS', (url) => {
  expect(() => assertTransportAllowed(withUrl(url))).not.toThrow();
});

it('a plain URL passes when the config says plain text is meant', () => {
  expect(() => assertTransportAllowed(withUrl('mqtt://127.0.0.1:1883', true))).not.toThrow();
});

it.each(['tcp://127.0.0.1:1883', 'tls://broker:8883', 'not a url'])(
  '%s is refused by the config itself',
  (url) => {
    expect(() => withUrl(url, true)).toThrow(
      /mqtt\.url: must be an mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\/ URL/,
    );
  },
);
