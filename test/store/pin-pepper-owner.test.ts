import { chownSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadPinPepper } from '../../src/store/pin-pepper.js';

/**
 * The review of issue 11: root running the command line with the daemon stopped made the pepper
 * root's own 0600 file, which the daemon's user could not read, so the daemon would not start.
 * Made by root, the pepper now belongs to whoever owns its directory (the daemon's state
 * directory); made by anyone else, it is theirs, as any file they create.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it("a pepper made by root belongs to its directory's owner; made by another user, to that user", () => {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-pepper-'));
  dirs.push(dir);
  const root = process.getuid?.() === 0;
  // As root the directory is handed to another user first, as /var/lib/keywarden is keywarden's.
  const owner = root
    ? { uid: 65534, gid: 65534 }
    : { uid: statSync(dir).uid, gid: statSync(dir).gid };
  if (root) chownSync(dir, owner.uid, owner.gid);
  const file = join(dir, 'pin-pepper');

  const pepper = loadPinPepper(file);

  const made = statSync(file);
  expect({ uid: made.uid, gid: made.gid }).toEqual(owner);
  expect(made.mode & 0o777).toBe(0o600);
  expect(loadPinPepper(file).equals(pepper)).toBe(true);
});
