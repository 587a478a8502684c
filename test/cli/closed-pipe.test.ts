import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/cli-cabinet.js';
import { CLI } from '../support/daemon-process.js';

/**
 * `keywarden holder list | head -1`: the reader closes the pipe before the listing is written.
 * The built CLI as a process, its stdout a pipe whose reading end is closed at once.
 */
describe('a reader that closes the pipe early', () => {
  it('stops the listing quietly: no stack trace, exit 141 like coreutils', async () => {
    const cab = cliCabinet();
    expect((await cab.cli('holder', 'add', '--name', 'Dana')).code).toBe(0);
    const child = spawn(
      process.execPath,
      [CLI, 'holder', 'list', '--config', `${cab.dir}/config.json`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });
});
