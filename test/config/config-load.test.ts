import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config-defaults.js';
import { loadConfig, parseConfig } from '../../src/config/config.js';
import { configDir } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'keywarden-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loading a config file', () => {
  it('applies every default to a file holding only cabinetId and profile', () => {
    const config = parseConfig({ cabinetId: 'c1', profile: 'sim' }, '/etc/keywarden/config.json');
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      file: '/etc/keywarden/config.json',
      cabinetId: 'c1',
      profile: 'sim',
      mqtt: { ...DEFAULT_CONFIG.mqtt, clientId: 'keywarden-c1' },
    });
    expect(config.mqtt.url).toBe('mqtt://127.0.0.1:1883');
    expect(config.sim.port).toBe(8089);
  });

  it('keeps given values and fills the rest of a partial section', () => {
    const config = parseConfig(
      {
        cabinetId: 'c1',
        profile: 'sim',
        mqtt: { clientId: 'mine', reconnectMs: 500 },
        log: { level: 'debug' },
      },
      '/x/config.json',
    );
    expect(config.mqtt).toMatchObject({
      clientId: 'mine',
      reconnectMs: 500,
      topicPrefix: 'keywarden/v1',
    });
    expect(config.log.level).toBe('debug');
  });

  it('resolves relative paths against the config file, not the working directory', () => {
    const config = parseConfig(
      {
        cabinetId: 'c1',
        profile: 'profiles/mine.json',
        database: '../var/k.db',
        mqtt: {
          url: 'mqtts://broker:8883',
          ca: 'tls/ca.pem',
          cert: '/abs/c.pem',
          key: 'tls/k.pem',
        },
      },
      '/etc/keywarden/config.json',
    );
    expect(config.profile).toBe('/etc/keywarden/profiles/mine.json');
    expect(config.database).toBe('/etc/var/k.db');
    expect(config.mqtt).toMatchObject({
      ca: '/etc/keywarden/tls/ca.pem',
      cert: '/abs/c.pem',
      key: '/etc/keywarden/tls/k.pem',
    });
  });

  it('leaves a profile name and an in-memory database alone', () => {
    const config = parseConfig(
      { cabinetId: 'c1', profile: 'rpi-8slot', database: ':memory:' },
      'c.json',
    );
    expect(config.profile).toBe('rpi-8slot');
    expect(config.database).toBe(':memory:');
  });

  it('loads the shipped demo and example configs', () => {
    const demo = loadConfig(join(configDir, 'demo.json'));
    expect(demo).toMatchObject({ cabinetId: 'demo-cabinet', profile: 'sim' });
    expect(demo.database).toBe(join(configDir, '../var/demo.db'));
    const example = loadConfig(join(configDir, 'example.json'));
    expect(example).toMatchObject({
      profile: 'rpi-8slot',
      database: '/var/lib/keywarden/keywarden.db',
    });
    expect(example.mqtt.url.startsWith('mqtts://')).toBe(true);
    expect(example.mqtt.ca).toBe('/etc/keywarden/tls/ca.pem');
  });

  it('reads from disk relative to the file', () => {
    writeFileSync(
      join(dir, 'k.json'),
      '{ "cabinetId": "c1", "profile": "sim", "database": "k.db" }',
    );
    expect(loadConfig(join(dir, 'k.json')).database).toBe(join(dir, 'k.db'));
  });
});
