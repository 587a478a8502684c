import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { PtyCabinet } from '../support/pty-cabinet.js';
import { ALICE } from '../support/seed.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Issue 11, finding 7 (its second half): lockouts lived only in the daemon's memory, so a
 * restart (a crash, a power cut, the plug pulled at the cabinet) lifted every one of them and a
 * guesser started again from a clean slate. Now the daemon restores the lockouts in force from
 * the event log at start.
 *
 * The daemon runs as a process with its reader on a real socat pty. Alice's holder is
 * disabled, so three badges lock her card out, here for ten minutes.
 */
let cabinet: PtyCabinet;
beforeAll(async () => {
  cabinet = await PtyCabinet.start({
    readers: { badgeQuietMs: 0 },
    config: { lockout: { levels: [{ attempts: 3, lockSeconds: 600 }] } },
    seed: (database) => {
      const db = openDatabase(database);
      db.prepare("UPDATE holders SET enabled = 0 WHERE name = 'Alice'").run();
      db.close();
    },
  });
}, 60_000);
afterAll(() => cabinet?.stop());

const reasons = () =>
  cabinet.ofType('access.denied').map((e) => (e.data as { reason: string }).reason);

it('a card locked out before a restart is still locked out after it', async () => {
  for (let i = 0; i < 3; i++) {
    await cabinet.presentCard(ALICE);
    await waitFor(() => reasons().length > i, `denial ${i + 1}`);
  }
  await waitFor(() => cabinet.ofType('lockout.started').length === 1, 'the lockout');

  await cabinet.daemon.stop('SIGKILL');
  await cabinet.daemon.start();
  await cabinet.presentCard(ALICE);
  await waitFor(() => reasons().length === 4, 'the badge after the restart decided');
  expect(reasons().at(-1)).toBe('locked_out');
  expect(cabinet.ofType('lockout.ended')).toEqual([]);
}, 60_000);
