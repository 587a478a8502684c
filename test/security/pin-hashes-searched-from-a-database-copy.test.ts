import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretInput } from '../../src/cli/read-secret.js';
import { checkPin } from '../../src/store/pin-hash.js';
import { CommandHarness } from '../support/command-harness.js';
import { TestSigner } from '../support/command-signer.js';
import { cliCabinet } from '../support/custodian-cabinet.js';
import { runCli } from '../support/run-cli.js';

/**
 * Issue 11, finding 8: with scrypt at N=2^14 and 10^4 possible PINs, the PIN and the duress PIN
 * were recovered from a copy of the database in minutes on one core, and a `sync` accepted
 * hashes of any cost (N=2, searched at once). Now a PIN set at the cabinet is keyed with a
 * pepper kept outside the database, and a synced hash must cost at least N=2^15.
 */
describe('a copy of the database', () => {
  let copy: string;
  beforeAll(async () => {
    const cab = cliCabinet();
    await cab.cli('holder', 'add', '--name', 'Dana');
    await cab.cli('credential', 'add', '--holder', '1', '--card', '100086F444');
    const piped = (text: string) => Readable.from([text]) as unknown as SecretInput;
    const as = ['--config', cab.config, '--as', 'carol'];
    expect((await runCli(['pin', 'set', '1', ...as], piped('4821\n4821\n'))).code).toBe(0);
    expect((await runCli(['pin', 'set-duress', '1', ...as], piped('9999\n9999\n'))).code).toBe(0);
    // What the thief takes: the database file, not the pepper beside it.
    copy = join(mkdtempSync(join(tmpdir(), 'keywarden-stolen-')), 'cabinet.db');
    copyFileSync(cab.database, copy);
  }, 60_000);

  it('gives up neither PIN to a search over candidates that include both', async () => {
    const db = new BetterSqlite3(copy, { readonly: true });
    const stolen = db
      .prepare('SELECT pin_hash AS pin, duress_pin_hash AS duress FROM credentials WHERE id = 1')
      .get() as { pin: string; duress: string };
    db.close();
    // The search a thief runs with the cabinet's own check; the real PINs are among the tries.
    const candidates = ['0000', '1234', '4821', '9999', '1111'];
    const found: string[] = [];
    for (const pin of candidates) {
      if ((await checkPin(pin, stolen)) !== 'wrong') found.push(pin);
    }
    expect(found).toEqual([]);
  }, 60_000);
});

describe('a sync', () => {
  const signer = new TestSigner();
  let h: CommandHarness;
  beforeAll(async () => {
    h = await CommandHarness.start([signer]);
  }, 60_000);
  afterAll(() => h.stop());

  it('refuses a PIN hash at N=2, naming why, over a real broker', async () => {
    // The shape the review sent: well formed, at a cost of N=2.
    const salt = Buffer.alloc(16, 3).toString('base64');
    const cheap = `scrypt$2$8$1$${salt}$${Buffer.alloc(32, 4).toString('base64')}`;
    const { reply } = await h.send(
      signer.sign('sync', {
        version: 1,
        holders: [{ id: 7, name: 'Dana', enabled: true }],
        credentials: [{ id: 70, holderId: 7, card: '0008844356', enabled: true, pinHash: cheap }],
        keys: [{ id: 700, tag: 'B0000007', label: 'Store B', homeSlot: 2 }],
        permissions: [{ holderId: 7, slot: 2 }],
      }),
    );
    expect(reply).toMatchObject({
      status: 'failed',
      reason: 'invalid',
      problems: [expect.stringMatching(/^credentials\[0\]\.pinHash: must cost at least N=32768/)],
    });
    expect(JSON.stringify(reply)).not.toContain(cheap);
  });
});
