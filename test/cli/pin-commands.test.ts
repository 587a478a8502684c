import { EventEmitter } from 'node:events';
import BetterSqlite3 from 'better-sqlite3';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SecretInput } from '../../src/cli/read-secret.js';
import { SecretReader } from '../../src/cli/read-secret.js';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkPin } from '../../src/store/pin-hash.js';
import { loadPinPepper } from '../../src/store/pin-pepper.js';
import { CAROL, cliCabinet } from '../support/custodian-cabinet.js';
import { runCli } from '../support/run-cli.js';

let cab: ReturnType<typeof cliCabinet>;
beforeEach(async () => {
  cab = cliCabinet();
  await cab.cli('holder', 'add', '--name', 'Dana');
  await cab.cli('credential', 'add', '--holder', '1', '--card', '100086F444');
});

const piped = (text: string) => Readable.from([text]) as unknown as SecretInput;
const pin = (text: string, ...args: string[]) =>
  runCli([...args, '--config', cab.config, '--as', 'carol'], piped(text));
const hashes = () =>
  cab.rows<{ pin_hash: string | null; duress_pin_hash: string | null; pin_required: number }>(
    'SELECT pin_hash, duress_pin_hash, pin_required FROM credentials WHERE id = 1',
  )[0]!;

describe('pin set and set-duress', () => {
  it('stores only scrypt hashes that verify, and records an event with neither PIN nor hash', async () => {
    expect(await pin('4821\n4821\n', 'pin', 'set', '1', '--required', 'yes')).toMatchObject({
      code: 0,
      out: 'PIN of credential 1 set; required at every badge',
    });
    expect(await pin('9999\n9999\n', 'pin', 'set-duress', '1')).toMatchObject({ code: 0 });
    const stored = hashes();
    expect(stored.pin_required).toBe(1);
    // Peppered: the database alone verifies nothing; with the pepper file beside it, it does.
    expect(stored.pin_hash).toMatch(/^scrypt-hmac\$/);
    const pepperFile = join(dirname(cab.database), 'pin-pepper');
    expect(statSync(pepperFile).mode & 0o777).toBe(0o600);
    const pepper = loadPinPepper(pepperFile);
    const both = { pin: stored.pin_hash!, duress: stored.duress_pin_hash };
    expect(await checkPin('4821', both)).toBe('wrong');
    expect(await checkPin('4821', { ...both, pepper })).toBe('ok');
    expect(await checkPin('9999', { ...both, pepper })).toBe('duress');
    expect(await checkPin('1111', { ...both, pepper })).toBe('wrong');

    const events = cab.events().filter((e) => e.type === 'policy.changed');
    expect(events.map((e) => e.data)).toEqual([
      {
        actor: CAROL,
        entity: 'pin',
        id: '1',
        change: 'updated',
        before: { pin: false, duressPin: false, pinRequired: false },
        after: { pin: true, duressPin: false, pinRequired: true },
      },
      {
        actor: CAROL,
        entity: 'pin',
        id: '1',
        change: 'updated',
        before: { pin: true, duressPin: false, pinRequired: true },
        after: { pin: true, duressPin: true, pinRequired: true },
      },
    ]);
    // The data of every event (the envelope's hashes and ids are random hex, so not searched).
    const everything = JSON.stringify(cab.events());
    for (const secret of ['4821', '9999', 'scrypt', stored.pin_hash!.split('$')[5]!]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('refuses, changing nothing: entries that differ, too short, not digits, a duress PIN equal to the PIN', async () => {
    for (const [input, message] of [
      ['4821\n4822\n', 'the two entries differ'],
      ['482\n482\n', 'a PIN must be 4 to 12 digits'],
      ['abcd\nabcd\n', 'a PIN must be 4 to 12 digits'],
      ['1234567890123\n1234567890123\n', 'a PIN must be 4 to 12 digits'],
      ['', 'no PIN on standard input'],
    ] as const) {
      const result = await pin(input, 'pin', 'set', '1');
      expect(result.code, input).toBe(2);
      expect(result.err).toContain(message);
    }
    expect(hashes().pin_hash).toBeNull();
    await pin('4821\n4821\n', 'pin', 'set', '1');
    const events = cab.events().length;
    const same = await pin('4821\n4821\n', 'pin', 'set-duress', '1');
    expect(same).toMatchObject({ code: 2 });
    expect(same.err).toContain('the duress PIN must differ from the PIN');
    expect(hashes().duress_pin_hash).toBeNull();
    expect(cab.events().length).toBe(events);
  });

  it('a duress PIN needs a PIN first; a missing credential is told before the PIN is asked', async () => {
    expect((await pin('9999\n9999\n', 'pin', 'set-duress', '1')).err).toContain(
      'credential 1 has no PIN yet: set it first',
    );
    expect(await pin('', 'pin', 'set', '7')).toMatchObject({
      code: 1,
      err: 'keywarden pin set: no credential with id 7',
    });
  });

  it('require and clear', async () => {
    expect((await cab.cli('pin', 'require', '1', 'yes')).err).toContain(
      'has no PIN: set one first',
    );
    await pin('4821\n4821\n', 'pin', 'set', '1');
    expect((await cab.cli('pin', 'require', '1', 'yes')).out).toBe(
      'credential 1: PIN required at every badge',
    );
    expect((await cab.cli('pin', 'clear', '1')).out).toBe('PINs of credential 1 cleared');
    expect(hashes()).toEqual({ pin_hash: null, duress_pin_hash: null, pin_required: 0 });
    expect((await cab.cli('pin', 'clear', '1')).out).toBe(
      'credential 1 had no PIN; nothing changed',
    );
    expect((await cab.cli('pin', 'require', '1', 'maybe')).code).toBe(2);
  });
});

describe('pin reset', () => {
  it('forgets the wrong PINs in a row in the custodian’s name; nothing to forget changes nothing', async () => {
    expect((await cab.cli('pin', 'reset', '1')).out).toBe(
      'credential 1 had no wrong PIN to forget; nothing changed',
    );
    expect(cab.events().filter((e) => e.type === 'pin.reset')).toEqual([]);
    // What the daemon's projection of three wrong PINs leaves (migration 010).
    const db = new BetterSqlite3(cab.database);
    db.prepare(
      "INSERT INTO pin_failures (credential_id, wrong_pins, last_at) VALUES (1, 3, '2026-12-07T00:00:00Z')",
    ).run();
    db.close();
    expect((await cab.cli('pin', 'reset', '1')).out).toBe(
      'credential 1: 3 wrong PINs in a row forgotten; the card is no longer refused for them',
    );
    expect(
      cab
        .events()
        .filter((e) => e.type === 'pin.reset')
        .map((e) => e.data),
    ).toEqual([
      {
        credentialId: 1,
        holderId: 1,
        wrongPins: 3,
        actor: { kind: 'custodian', account: 'carol' },
      },
    ]);
    expect(cab.rows('SELECT * FROM pin_failures')).toEqual([]);
    expect((await cab.cli('pin', 'reset', '9')).code).not.toBe(0);
  });
});

/** A terminal in raw mode, fed keystrokes. */
class FakeTty extends EventEmitter {
  isTTY = true;
  raw: boolean[] = [];
  setRawMode(raw: boolean) {
    this.raw.push(raw);
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
}

describe('reading on a terminal', () => {
  it('uses raw mode (no echo), honours backspace, and restores the terminal', async () => {
    const tty = new FakeTty();
    const shown: string[] = [];
    const reader = new SecretReader(tty as unknown as SecretInput, (t) => shown.push(t));
    const read = reader.read('PIN: ');
    tty.emit('data', Buffer.from('48'));
    tty.emit('data', Buffer.from('x\u007f21\r'));
    expect(await read).toBe('4821');
    expect(tty.raw).toEqual([true, false]);
    expect(shown.join('')).toBe('PIN: \n');
  });

  it('Ctrl-C cancels with nothing changed', async () => {
    const tty = new FakeTty();
    const read = new SecretReader(tty as unknown as SecretInput, () => {}).read('PIN: ');
    tty.emit('data', Buffer.from('12\u0003'));
    await expect(read).rejects.toThrow('cancelled; nothing changed');
    expect(tty.raw).toEqual([true, false]);
  });
});
