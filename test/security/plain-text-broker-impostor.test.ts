import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI } from '../support/daemon-process.js';
import { freePort } from '../support/ports.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';

/**
 * Issue 11, finding 5: the default broker URL is plain `mqtt://127.0.0.1:1883`. With no broker
 * listening there, any local user can bind the port (here: their own Mosquitto), and the
 * cabinet connects to it, publishes every event to it, `alarm.duress` included, and takes its
 * acknowledgements. Now a plain-text URL without `mqtt.allowPlainText: true` is a config error:
 * the daemon exits 78 before it connects anywhere.
 */
let impostor: Broker;

beforeAll(async () => {
  impostor = await startMosquitto();
});
afterAll(() => impostor.stop());

it('a cabinet left on a plain mqtt:// URL refuses to start rather than talk to whoever holds the port', async () => {
  const seen: string[] = [];
  const spy = await mqtt.connectAsync(impostor.url, { protocolVersion: 5, clientId: 'impostor' });
  const heard = new Promise<string>((resolve) =>
    spy.on('message', (topic) => {
      seen.push(topic);
      resolve(topic);
    }),
  );
  await spy.subscribeAsync('#', { qos: 1 });

  const dir = mkdtempSync(join(tmpdir(), 'keywarden-impostor-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      cabinetId: 'victim',
      profile: 'sim',
      database: join(dir, 'cabinet.db'),
      mqtt: { url: impostor.url },
      sim: { host: '127.0.0.1', port: await freePort() },
    }),
  );
  const child = spawn(process.execPath, [CLI, 'run', '--config', configFile, '--no-interactive'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  // Whichever comes first: the daemon gives up, or the impostor hears from it.
  const first = await Promise.race([
    exited.then((code) => ({ exit: code })),
    heard.then((topic) => ({ heard: topic })),
  ]);
  if (child.exitCode === null) child.kill('SIGKILL');
  await spy.endAsync(true);

  expect(first).toEqual({ exit: 78 });
  expect(seen).toEqual([]);
  expect(output).toContain('mqtt.allowPlainText');
});
