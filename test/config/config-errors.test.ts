import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/config.js';
import { errorLines } from './helpers.js';

const FILE = 'config/bad.json';
const problems = (json: unknown): string[] =>
  errorLines(() => parseConfig(json, FILE), 'CONFIG_INVALID');

const dir = mkdtempSync(join(tmpdir(), 'keywarden-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTemp(text: string): string {
  const file = join(dir, 'bad.json');
  writeFileSync(file, text);
  return file;
}

describe('config errors name the file and the field', () => {
  it('a JSON syntax error gives the line and column', () => {
    const file = writeTemp('{\n  "cabinetId": "c1",\n}\n');
    expect(errorLines(() => loadConfig(file), 'CONFIG_INVALID')).toEqual([
      `${file}: invalid JSON at line 3, column 1: Expected double-quoted property name`,
    ]);
  });

  it('a syntax error V8 gives no position for still gets one', () => {
    const file = writeTemp('{\n  "cabinetId": c1\n}');
    const [line] = errorLines(() => loadConfig(file), 'CONFIG_INVALID');
    expect(line).toMatch(
      new RegExp(`^${file}: invalid JSON at line 2, column 16: Unexpected token`),
    );
  });

  it('a missing file says so', () => {
    expect(errorLines(() => loadConfig('/nonexistent/k.json'), 'CONFIG_INVALID')).toEqual([
      '/nonexistent/k.json: file not found',
    ]);
  });

  it('cabinetId is required', () => {
    expect(problems({})).toEqual([
      'config/bad.json: cabinetId: is required',
      'config/bad.json: profile: is required',
    ]);
  });

  it('cabinetId must be safe in an MQTT topic', () => {
    expect(problems({ cabinetId: 'a/#', profile: 'sim' })).toEqual([
      'config/bad.json: cabinetId: must match ^[A-Za-z0-9_-]{1,64}$',
    ]);
  });

  it('an unknown key is an error that suggests the near miss', () => {
    expect(problems({ cabinetId: 'c1', profile: 'sim', mqtt: { usrname: 'u' } })).toEqual([
      'config/bad.json: mqtt.usrname: is not a known key (did you mean "username"?)',
    ]);
  });

  it('a wrong type names the field', () => {
    expect(problems({ cabinetId: 'c1', profile: 'sim', mqtt: { url: 1883 } })).toEqual([
      'config/bad.json: mqtt.url: must be a string',
    ]);
  });

  it('lists every problem at once', () => {
    expect(problems({ sim: { port: 70000 }, log: { level: 'loud' } })).toEqual([
      'config/bad.json: cabinetId: is required',
      'config/bad.json: profile: is required',
      'config/bad.json: sim.port: must be at most 65535',
      'config/bad.json: log.level: must be one of "fatal", "error", "warn", "info", "debug", "trace"',
    ]);
  });

  it('free text follows the one text rule: no control characters in the MQTT client id', () => {
    expect(
      problems({ cabinetId: 'c1', profile: 'sim', mqtt: { clientId: 'cab\u001b[2J' } }),
    ).toEqual([
      'config/bad.json: mqtt.clientId: contains U+001B (ESC, which starts terminal escape sequences) at character 4; text may not hold control characters, line breaks, tabs or bidi controls',
    ]);
  });

  it('the broker URL must be an MQTT URL', () => {
    expect(problems({ cabinetId: 'c1', profile: 'sim', mqtt: { url: 'http://broker' } })).toEqual([
      'config/bad.json: mqtt.url: must be an mqtt://, mqtts://, ws:// or wss:// URL',
    ]);
  });

  it('a client certificate needs its key', () => {
    expect(problems({ cabinetId: 'c1', profile: 'sim', mqtt: { cert: 'c.pem' } })).toEqual([
      'config/bad.json: mqtt.key: is required when mqtt.cert is set',
    ]);
  });

  it('a config from a newer Keywarden is refused with a reason', () => {
    expect(problems({ version: 2, cabinetId: 'c1', profile: 'sim', newThing: true })).toEqual([
      'config/bad.json: version: is 2, but this Keywarden reads config format 1; upgrade Keywarden',
    ]);
  });
});
