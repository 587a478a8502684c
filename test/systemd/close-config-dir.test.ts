import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * systemd/close-config-dir.sh, which systemd/install.sh runs on /etc/keywarden after making it
 * 0751 (passable by others, so the web console reaches its web.json by name): what an admin left
 * open to others in there, safe while the directory was 0750, is closed, on a temporary tree.
 */
const SCRIPT = join(import.meta.dirname, '..', '..', 'systemd', 'close-config-dir.sh');

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kw-config-dir-'));
  made.push(dir);
  chmodSync(dir, 0o751);
  return dir;
}

function file(path: string, perms: number): string {
  writeFileSync(path, '{}\n');
  chmodSync(path, perms);
  return path;
}

describe('close-config-dir.sh', () => {
  it('closes a config file, a key and a directory an admin left open to others, and says which', () => {
    const dir = configDir();
    const config = file(join(dir, 'config.json'), 0o644);
    const web = file(join(dir, 'web.json'), 0o640);
    mkdirSync(join(dir, 'tls'));
    chmodSync(join(dir, 'tls'), 0o777);
    const key = file(join(dir, 'tls', 'web.key'), 0o606);
    const result = spawnSync('bash', [SCRIPT, dir], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(mode(config)).toBe('640');
    expect(mode(key)).toBe('600');
    expect(mode(web)).toBe('640');
    // Still passable, as the top directory is, so the console reaches its own certificate.
    expect(mode(join(dir, 'tls'))).toBe('771');
    expect(mode(dir)).toBe('751');
    expect(result.stderr).toContain(`${config} was open to every local user`);
    expect(result.stderr).toContain(`${key} was open to every local user`);
    expect(result.stderr).toContain(`${join(dir, 'tls')} could be listed or written`);
    expect(result.stderr).not.toContain('web.json');
  });

  it('changes and says nothing when nothing is open, and leaves a link and its target alone', () => {
    const dir = configDir();
    file(join(dir, 'config.json'), 0o640);
    const outside = configDir();
    const target = file(join(outside, 'shared.json'), 0o644);
    symlinkSync(target, join(dir, 'shared.json'));
    const result = spawnSync('bash', [SCRIPT, dir], { encoding: 'utf8' });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(mode(target)).toBe('644');
  });

  it('refuses a wrong argument', () => {
    const result = spawnSync('bash', [SCRIPT], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: close-config-dir\.sh <directory>/);
  });
});
