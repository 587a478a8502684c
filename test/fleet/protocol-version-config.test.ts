import { expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { connectOptions } from '../../src/mqtt/connect-options.js';
import { errorLines } from '../config/helpers.js';
import { testConfig } from '../support/test-config.js';

const FILE = 'config/bad.json';
const WILL = { topic: 'keywarden/v1/test-cab/status', payload: '{}' };
const problems = (protocolVersion: unknown): string[] =>
  errorLines(
    () =>
      parseConfig({ version: 1, cabinetId: 'c1', profile: 'sim', mqtt: { protocolVersion } }, FILE),
    'CONFIG_INVALID',
  );

it('refuses a protocol version other than 5 and 4, naming the field', () => {
  for (const bad of [3, 6, '5', '3.1.1', 4.5, null]) {
    const lines = problems(bad);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('mqtt.protocolVersion');
  }
});

it('connects with MQTT 5 and its properties by default, with MQTT 3.1.1 and none when asked', () => {
  const five = connectOptions(testConfig(), WILL, {});
  expect(five.protocolVersion).toBe(5);
  expect(five.properties).toMatchObject({ sessionExpiryInterval: 604_800 });
  const four = connectOptions(testConfig({ mqtt: { protocolVersion: 4 } }), WILL, {});
  expect(four.protocolVersion).toBe(4);
  expect(four.properties).toBeUndefined();
  // What 3.1.1 keeps: the persistent session and the retained offline will.
  expect(four.clean).toBe(false);
  expect(four.will).toMatchObject({ topic: WILL.topic, retain: true, qos: 1 });
});
