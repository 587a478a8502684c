import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { cliCabinet } from '../support/custodian-cabinet.js';
import { CLI } from '../support/daemon-process.js';

// The built CLI (npx tsc -p tsconfig.json first), because only a real process gets a SIGINT.
it('Ctrl-C while waiting for the card closes the request, so a later tap enrols nothing', async () => {
  const cab = cliCabinet();
  expect((await cab.cli('holder', 'add', '--name', 'Dana')).code).toBe(0);
  const child = spawn(process.execPath, [CLI, 'credential', 'enrol', '1', '--config', cab.config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve) =>
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('tap the card now')) resolve();
    }),
  );
  expect(cab.rows('SELECT done_at FROM custodian_requests')).toEqual([{ done_at: null }]);
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  const [request] = cab.rows<{ done_at: string | null; outcome: string }>(
    'SELECT done_at, outcome FROM custodian_requests',
  );
  expect(request?.done_at).not.toBeNull();
  expect(JSON.parse(request?.outcome ?? '{}')).toEqual({ cancelled: true });
}, 30_000);
