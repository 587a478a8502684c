import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSecretFile, type SecretFileRules } from '../../src/secret-file.js';

/**
 * The checks every secret file gets (src/secret-file.ts), whoever reads it: the PIN pepper and
 * the OSDP key each test their own rules (what is made, what the content must be) beside them.
 * Each refusal is the caller's error with a reason that never quotes the file.
 */
const SECRET = 'this-is-the-secret-0123456789abc';
const rules: SecretFileRules = {
  minBytes: 8,
  maxBytes: 32,
  wrongSize: 'must hold 8 to 32 bytes',
  cannotOpen: (err) => `cannot be read: ${err.code ?? err.message}`,
  refused: (why) => new Error(`the secret ${why}`),
};

const dir = mkdtempSync(join(tmpdir(), 'kw-secret-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string, mode = 0o600): string => {
  const file = join(dir, name);
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return file;
};

/** The reason a file is refused for, checked never to quote the secret. */
function refusal(file: string): string {
  let message = '';
  try {
    readSecretFile(file, rules);
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message, `${file} was read`).toMatch(/^the secret /);
  expect(message).not.toContain(SECRET.slice(0, 12));
  return message;
}

const root = process.geteuid?.() === 0;

describe('a secret file', () => {
  it("of the right size, mode 0600 and its reader's own, is read whole", () => {
    expect(readSecretFile(write('good', SECRET), rules).toString()).toBe(SECRET);
  });

  it('is never read through a symbolic link, even to a good file', () => {
    const link = join(dir, 'link');
    symlinkSync(write('target', SECRET), link);
    expect(refusal(link)).toBe('the secret cannot be read: ELOOP');
  });

  it('a FIFO is refused at once rather than waited on for a writer', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    expect(refusal(fifo)).toBe('the secret is not a regular file');
  });

  it('a directory or a device is not a regular file either', () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub, { mode: 0o700 });
    expect(refusal(sub)).toBe('the secret is not a regular file');
    expect(refusal('/dev/zero')).toMatch(
      /^the secret (is not a regular file|is readable by others)/,
    );
  });

  it('a file its group or anyone else may read is refused, naming the mode', () => {
    expect(refusal(write('group', SECRET, 0o640))).toBe(
      'the secret is readable by others (mode 640); chmod 600 it',
    );
    expect(refusal(write('world', SECRET, 0o604))).toBe(
      'the secret is readable by others (mode 604); chmod 600 it',
    );
  });

  it("too long, too short or empty is refused with the caller's reason", () => {
    expect(refusal(write('long', `${SECRET}X`))).toBe('the secret must hold 8 to 32 bytes');
    expect(refusal(write('short', 'seven..'))).toBe('the secret must hold 8 to 32 bytes');
    expect(refusal(write('empty', ''))).toBe('the secret must hold 8 to 32 bytes');
  });

  it("a missing file gets the caller's reason for a file it cannot open", () => {
    expect(refusal(join(dir, 'missing'))).toBe('the secret cannot be read: ENOENT');
  });

  // Giving a file away takes root: as another user the case cannot be made.
  it.runIf(root)("a file another user planted is refused; its directory owner's is read", () => {
    const planted = write('planted', SECRET);
    chownSync(planted, 65534, 65534);
    expect(refusal(planted)).toBe(
      "the secret belongs to user 65534, neither this process's user, root, nor its directory's owner; chown it",
    );

    // The daemon's state directory and the secret in it belong to the same user: root, running
    // the command line with the daemon stopped, reads it.
    const state = join(dir, 'state');
    mkdirSync(state, { mode: 0o700 });
    chownSync(state, 65534, 65534);
    const owned = join(state, 'secret');
    writeFileSync(owned, SECRET, { mode: 0o600 });
    chownSync(owned, 65534, 65534);
    expect(readSecretFile(owned, rules).toString()).toBe(SECRET);
  });

  it('a hard link to a good file is read as the file it is: the checks are on the file', () => {
    const linked = join(dir, 'hard');
    linkSync(write('original', SECRET), linked);
    expect(readSecretFile(linked, rules).toString()).toBe(SECRET);
    chmodSync(linked, 0o644);
    expect(refusal(linked)).toBe('the secret is readable by others (mode 644); chmod 600 it');
  });
});
