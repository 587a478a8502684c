import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../support/daemon-process.js';

/**
 * Two ways a real Pi ended up running a fake cabinet: a config that left out `profile` got the
 * simulator (under the real cabinet id, answering the central server), and `run --demo` seeded
 * the demo's published cards into any empty database, a real cabinet's included. The built CLI,
 * as systemd or an installer would run it.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cabinetDir(config: Record<string, unknown>): { dir: string; configFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-real-'));
  dirs.push(dir);
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      cabinetId: 'site1-cabinet-a',
      database: join(dir, 'cabinet.db'),
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      sim: { host: '127.0.0.1', port: 0 },
      ...config,
    }),
  );
  return { dir, configFile };
}

/**
 * Runs `keywarden run`; a daemon that starts instead of refusing (as before the fix) is killed
 * by spawn's own deadline after 10 s, and the test then fails on its exit code.
 */
function run(configFile: string, ...more: string[]) {
  const child = spawn(
    process.execPath,
    [CLI, 'run', '--config', configFile, '--no-interactive', ...more],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000, killSignal: 'SIGKILL' },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, output })),
  );
}

describe('a real cabinet never runs as the simulator', () => {
  it('a config without a profile is refused as invalid, and nothing runs', async () => {
    const { dir, configFile } = cabinetDir({});
    const result = await run(configFile);
    expect(result.code).toBe(78);
    expect(result.output).toContain('profile: is required');
    expect(result.output).not.toContain('simulator control listening');
    expect(existsSync(join(dir, 'cabinet.db'))).toBe(false);
  });

  it('run --demo on a real GPIO profile is refused before any pin or the database is touched', async () => {
    const { dir, configFile } = cabinetDir({ profile: 'rpi-8slot' });
    const result = await run(configFile, '--demo');
    expect(result.code).toBe(2);
    expect(result.output).toContain('--demo runs only on the simulated cabinet');
    expect(existsSync(join(dir, 'cabinet.db'))).toBe(false);
  });
});
