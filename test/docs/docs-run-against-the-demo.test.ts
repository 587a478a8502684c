import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, DaemonProcess } from '../support/daemon-process.js';
import { shellBlocks, type ShellBlock } from '../support/doc-blocks.js';
import { freePort } from '../support/ports.js';

/**
 * The docs cannot rot: every ```sh block of README.md and docs/*.md is run, in order, against a
 * fresh demo cabinet (`keywarden run --demo` on the simulated profile, as `npm start` runs it),
 * and must exit 0. A block that cannot run here starts with `# not run by the docs test: <why>`
 * (see test/support/doc-blocks.ts). What the runner changes, and only this:
 *
 * - `keywarden` is the built CLI (run `npm run build` first) with $KEYWARDEN_CONFIG set to the
 *   demo cabinet's config; `--config config/demo.json` in an example names that config too;
 * - a block whose first line starts `# against the OSDP demo` runs against a demo cabinet of its
 *   own on the OSDP profile (`npm run start:osdp`), whose config `config/demo-osdp.json` names;
 * - `sudo -u <user>` runs the rest of the line as the test's user;
 * - `http://127.0.0.1:8089`, the simulator's default address, is the test daemon's address;
 * - the working directory and $HOME are the cabinet's temp directory.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join('docs', f)),
];

const PREAMBLE = `set -eo pipefail
keywarden() { node "$KW_CLI" "$@"; }
sudo() { if [ "$1" = "-u" ]; then shift 2; fi; "$@"; }
trap 'echo "this line failed: $BASH_COMMAND" >&2' ERR
`;

/** The first line of a block to run against the OSDP demo instead. */
const OSDP_MARK = /^#\s*against the OSDP demo\b/;

const daemons: DaemonProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(daemons.splice(0).map((d) => d.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type DemoCabinet = { dir: string; config: string; simUrl: string };

async function demoCabinet(profile: 'sim' | 'sim-osdp'): Promise<DemoCabinet> {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-docs-'));
  dirs.push(dir);
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      cabinetId: 'docs-test',
      profile,
      database: join(dir, 'demo.db'),
      // No broker: events wait in the outbox, as in a demo without Mosquitto.
      mqtt: { url: 'mqtt://127.0.0.1:1', allowPlainText: true },
      // A port of its own, so that `keywarden sim … --config` finds this daemon.
      sim: { host: '127.0.0.1', port: await freePort() },
    }),
  );
  const daemon = new DaemonProcess(config, {}, [], ['--demo']);
  daemons.push(daemon);
  await daemon.start();
  return { dir, config, simUrl: daemon.simUrl() };
}

function runBlock(
  block: ShellBlock,
  cabinet: { dir: string; config: string; simUrl: string },
): Promise<{ code: number | null; output: string }> {
  const script = block.script
    .replaceAll('http://127.0.0.1:8089', cabinet.simUrl)
    .replaceAll('config/demo-osdp.json', cabinet.config)
    .replaceAll('config/demo.json', cabinet.config);
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', PREAMBLE + script], {
      cwd: cabinet.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: cabinet.dir, KW_CLI: CLI, KEYWARDEN_CONFIG: cabinet.config },
      // Generous: the README block runs some twenty commands on a machine under load.
      timeout: 150_000,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the docs’ shell examples run against the demo cabinet', () => {
  it.each(DOCS)(
    '%s',
    async (doc) => {
      const blocks = shellBlocks(join(ROOT, doc));
      for (const block of blocks.filter((b) => b.skip !== undefined)) {
        expect(block.skip, `${doc}:${block.line}: say why the block is not run`).not.toBe('');
      }
      const runnable = blocks.filter((b) => b.skip === undefined);
      if (runnable.length === 0) return;
      const cabinets = new Map<'sim' | 'sim-osdp', DemoCabinet>();
      for (const block of runnable) {
        const profile = OSDP_MARK.test(block.script.trimStart()) ? 'sim-osdp' : 'sim';
        const cabinet = cabinets.get(profile) ?? (await demoCabinet(profile));
        cabinets.set(profile, cabinet);
        const { code, output } = await runBlock(block, cabinet);
        expect(code, `${doc}:${block.line} exited ${code}:\n${output}`).toBe(0);
      }
    },
    400_000,
  );
});
