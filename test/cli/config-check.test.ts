import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/cli-cabinet.js';
import { runCli } from '../support/run-cli.js';

/** A config file in a fresh cabinet's directory, with the given broker settings. */
function configWith(mqtt: Record<string, unknown>): string {
  const cab = cliCabinet();
  const file = `${cab.dir}/checked.json`;
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      cabinetId: 'check-cab',
      profile: 'sim',
      database: cab.database,
      mqtt,
    }),
  );
  return file;
}

describe('config check refuses what the daemon would refuse at start', () => {
  it('a plain-text broker URL without allowPlainText: exit 78, naming mqtt.url and the fix', async () => {
    const result = await runCli([
      'config',
      'check',
      '--config',
      configWith({ url: 'mqtt://broker.site:1883' }),
    ]);
    expect(result.code).toBe(78);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/checked\.json: mqtt\.url: mqtt:\/\/ is plain text/);
    expect(result.err).toMatch(/mqtt\.allowPlainText: true if plain text is meant/);
  });

  it('the default broker (plain, on loopback) is refused the same way', async () => {
    const result = await runCli(['config', 'check', '--config', configWith({})]);
    expect(result.code).toBe(78);
    expect(result.err).toMatch(/mqtt\.url: mqtt:\/\/ is plain text/);
  });

  it('plain text said in words, or TLS: valid', async () => {
    for (const mqtt of [
      { url: 'mqtt://127.0.0.1:1883', allowPlainText: true },
      { url: 'mqtts://broker.site:8883' },
    ]) {
      const result = await runCli(['config', 'check', '--config', configWith(mqtt)]);
      expect(result, JSON.stringify(mqtt)).toMatchObject({ code: 0, err: '' });
      expect(result.out).toMatch(/checked\.json: valid \(cabinet check-cab\)/);
    }
  });
});
