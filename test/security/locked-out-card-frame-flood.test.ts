import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeRdm6300 } from '../../src/sim/reader-frames.js';
import { openDatabase } from '../../src/store/database.js';
import { PtyCabinet } from '../support/pty-cabinet.js';
import { ALICE } from '../support/seed.js';
import { pace, waitFor } from '../support/wait-for.js';

/**
 * Issue 11, finding 15: frames of a locked-out card injected on the badge reader's wire were
 * each recorded as an `access.denied` (about 68 a second, the RDM6300's wire rate), every one
 * kept in the outbox until the central server acknowledged it. Now a lockout records its first
 * refusal and counts the rest in its `lockout.ended`.
 *
 * The daemon runs as a process with its reader on a real socat pty. Alice's holder is disabled,
 * so three badges lock her card out; the lockout is long enough for the whole burst.
 */
const FRAMES = 150;
/** An RDM6300 frame: 14 bytes at 9600 baud 8N1, the fastest the reader can send them. */
const FRAME_MS = (14 * 10 * 1000) / 9600;

let cabinet: PtyCabinet;
beforeAll(async () => {
  cabinet = await PtyCabinet.start({
    // Every frame a presentation of its own, as an attacker on the wire would send them.
    readers: { badgeQuietMs: 0 },
    config: { lockout: { levels: [{ attempts: 3, lockSeconds: 8 }] } },
    seed: (database) => {
      const db = openDatabase(database);
      db.prepare("UPDATE holders SET enabled = 0 WHERE name = 'Alice'").run();
      db.close();
    },
  });
}, 60_000);
afterAll(() => cabinet?.stop());

it('a locked-out card injected at wire rate costs two events, not one per frame', async () => {
  for (let i = 0; i < 3; i++) {
    await cabinet.presentCard(ALICE);
    await waitFor(() => cabinet.ofType('access.denied').length > i, `denial ${i + 1}`);
  }
  await waitFor(() => cabinet.ofType('lockout.started').length === 1, 'the lockout');
  const before = cabinet.events().length;
  for (let i = 0; i < FRAMES; i++) {
    await cabinet.badge.writeToDevice(encodeRdm6300(ALICE));
    await pace(FRAME_MS, 'frames no faster than the wire carries them');
  }
  await waitFor(() => cabinet.ofType('lockout.ended').length === 1, 'the lockout to end', 30_000);
  const during = cabinet.events().slice(before);
  expect(during.map((e) => e.type)).toEqual(['access.denied', 'lockout.ended']);
  expect(during[0]?.data).toMatchObject({ reason: 'locked_out' });
  // Every frame was refused: the first recorded, all the others counted.
  expect(during[1]?.data).toMatchObject({ subject: 'credential', refusedCards: FRAMES - 1 });
}, 60_000);
