import { parseConfig, type KeywardenConfig } from '../../src/config/config.js';

/**
 * A valid config for in-process tests, with the given overrides on top of the defaults. Test
 * brokers listen on loopback without TLS: the opt-in to plain text is given here, explicitly,
 * unless the overrides' `mqtt` says otherwise.
 */
export function testConfig(overrides: Record<string, unknown> = {}): KeywardenConfig {
  const mqtt = { allowPlainText: true, ...(overrides.mqtt as Record<string, unknown> | undefined) };
  return parseConfig(
    { version: 1, cabinetId: 'test-cab', profile: 'sim', database: ':memory:', ...overrides, mqtt },
    '/tmp/test-config.json',
  );
}
