import { parseConfig, type KeywardenConfig } from '../../src/config/config.js';

/** A valid config for in-process tests, with the given overrides on top of the defaults. */
export function testConfig(overrides: Record<string, unknown> = {}): KeywardenConfig {
  return parseConfig(
    { version: 1, cabinetId: 'test-cab', profile: 'sim', database: ':memory:', ...overrides },
    '/tmp/test-config.json',
  );
}
