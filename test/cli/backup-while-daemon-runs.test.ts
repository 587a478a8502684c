import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { temporaryDir } from '../support/mosquitto-users.js';
import { PtyCabinet } from '../support/pty-cabinet.js';
import { integrityCheck } from '../support/recorded-events.js';
import { runCli } from '../support/run-cli.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The daemon (the built CLI, a child process) records an event for every unknown card while
 * `keywarden backup` copies its database, several times over: each backup must open, pass
 * integrity_check, and hold every event committed before it started, byte for byte.
 */
let cabinet: PtyCabinet;

beforeAll(async () => {
  cabinet = await PtyCabinet.start({
    cabinetId: 'backup-live-cab',
    readers: { badgeQuietMs: 0 },
    // Unknown cards, one after another: a lockout would stop the events this test needs.
    config: { lockout: { windowSeconds: 1, levels: [{ attempts: 100, lockSeconds: 1 }] } },
  });
}, 30_000);

afterAll(() => cabinet?.stop());

/** seq → hash of every committed event, read by a connection of our own. */
function committed(database: string): Map<number, string> {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    const rows = db.prepare('SELECT seq, hash FROM events ORDER BY seq').all() as Array<{
      seq: number;
      hash: string;
    }>;
    return new Map(rows.map((r) => [r.seq, r.hash]));
  } finally {
    db.close();
  }
}

const lastSeq = (events: Map<number, string>): number => Math.max(0, ...events.keys());

it('backs up a database the daemon is writing to, consistently, every time', async () => {
  const { database } = cabinet;
  const configFile = join(database, '..', 'config.json');
  let writing = true;
  let presented = 0;
  const writer = (async () => {
    while (writing) {
      const before = lastSeq(committed(database));
      await cabinet.presentCard(`0000${String(100000 + presented).padStart(6, '0')}`);
      presented += 1;
      await waitFor(() => lastSeq(committed(database)) > before, 'the denied card recorded');
    }
  })();
  const dir = temporaryDir('keywarden-live-backup-');
  try {
    await waitFor(() => presented >= 5, 'the daemon recording events');
    for (let round = 1; round <= 5; round++) {
      const before = committed(database);
      const to = join(dir, `round-${round}.db`);
      const result = await runCli(['backup', '--config', configFile, '--to', to]);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(integrityCheck(to)).toBe('ok');
      const copy = committed(to);
      for (const [seq, hash] of before) expect(copy.get(seq), `event ${seq}`).toBe(hash);
      // What the copy holds beyond that is what the daemon had committed when it was taken.
      const live = committed(database);
      for (const [seq, hash] of copy) expect(live.get(seq)).toBe(hash);
      await waitFor(
        () => lastSeq(committed(database)) > lastSeq(live),
        'the daemon still recording',
      );
    }
  } finally {
    writing = false;
    await writer;
  }
  expect(presented).toBeGreaterThan(5);
}, 60_000);
