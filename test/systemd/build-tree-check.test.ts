import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The installer's refusals (systemd/check-build-tree.sh, which systemd/install.sh runs on the
 * built tree before root takes it), tried on temporary trees: each refusal fires on its case and
 * names the file, and a clean tree, with the links inside it a real build has, passes.
 */
const SCRIPT = join(import.meta.dirname, '..', '..', 'systemd', 'check-build-tree.sh');

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A tree shaped like a build: files, a relative link and node-gyp's hard link, all inside. */
function buildTree(): { outside: string; tree: string } {
  const outside = mkdtempSync(join(tmpdir(), 'kw-build-check-'));
  made.push(outside);
  const tree = join(outside, 'keywarden.new');
  mkdirSync(join(tree, 'dist'), { recursive: true });
  mkdirSync(join(tree, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(join(tree, 'dist', 'main.js'), 'console.log(1)\n', { mode: 0o755 });
  symlinkSync('../../dist/main.js', join(tree, 'node_modules', '.bin', 'keywarden'));
  writeFileSync(join(tree, 'dist', 'binding.node'), 'ELF');
  linkSync(join(tree, 'dist', 'binding.node'), join(tree, 'node_modules', 'binding.node'));
  return { outside, tree };
}

function check(tree: string): { status: number | null; stderr: string } {
  const run = spawnSync('bash', [SCRIPT, tree], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

describe('the installer refuses a build tree root must not take over', () => {
  it('accepts a clean tree, its links inside it', () => {
    expect(check(buildTree().tree)).toEqual({ status: 0, stderr: '' });
  });

  it('refuses a symlink out of the tree, to /etc/shadow or by ../', () => {
    const { tree } = buildTree();
    const shadow = join(tree, 'dist', 'config.json');
    symlinkSync('/etc/shadow', shadow);
    expect(check(tree)).toEqual({
      status: 1,
      stderr: `check-build-tree.sh: the build left a symlink pointing outside the program, refused: ${shadow} -> /etc/shadow\n`,
    });
    rmSync(shadow);
    symlinkSync('../../keywarden.new-other/x', shadow);
    expect(check(tree).stderr).toMatch(
      /symlink pointing outside the program, refused: .*config\.json -> \.\.\/\.\.\/keywarden\.new-other\/x$/m,
    );
  });

  it('refuses a file hard-linked from outside the tree', () => {
    const { outside, tree } = buildTree();
    const precious = join(outside, 'precious');
    writeFileSync(precious, 'not the build\n', { mode: 0o600 });
    linkSync(precious, join(tree, 'dist', 'cache.bin'));
    expect(check(tree)).toEqual({
      status: 1,
      stderr: `check-build-tree.sh: the build left a file hard-linked from outside the program, refused: ${join(tree, 'dist', 'cache.bin')}\n`,
    });
  });

  it('refuses a setuid file and a setgid directory, as the build left them', () => {
    const { tree } = buildTree();
    const setuid = join(tree, 'dist', 'helper');
    writeFileSync(setuid, '#!/bin/sh\n');
    chmodSync(setuid, 0o4755);
    expect(check(tree)).toEqual({
      status: 1,
      stderr: `check-build-tree.sh: the build left a setuid or setgid file, refused: ${setuid}\n`,
    });
    rmSync(setuid);
    const setgid = join(tree, 'shared');
    mkdirSync(setgid);
    chmodSync(setgid, 0o2755);
    expect(check(tree).stderr).toContain(`setuid or setgid file, refused: ${setgid}\n`);
  });

  it('refuses to run on no directory at all (usage, exit 2)', () => {
    const missing = join(tmpdir(), 'kw-no-such-tree');
    expect(check(missing).status).toBe(2);
  });
});
