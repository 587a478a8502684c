import { afterAll, beforeAll, expect, it } from 'vitest';
import { BOB_CARD, OsdpCabinet } from '../support/osdp-cabinet.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Once the session is up, a reply whose MAC is wrong (forged) or one replayed from earlier is
 * refused before it is read: reader.tampered (`secure channel: …`), the session is torn down
 * and established again, and a card carried by such a reply is never a badge.
 */
let cabinet: OsdpCabinet;
beforeAll(async () => {
  cabinet = await OsdpCabinet.start({ secure: 'on' });
}, 60_000);
afterAll(() => cabinet?.stop());

/** The bus restarted the reader (sequence 0, ID) and has it in a new session. */
async function sessionBack(since: number): Promise<void> {
  await cabinet.daemon.waitForLog((l) => l.msg === 'reader identified', 20_000, since);
  await waitFor(() => cabinet.reader().secured, 'the reader in a new session', 20_000);
}

const tampered = () =>
  cabinet.readerEvents('reader.tampered').filter((e) => e.reason?.startsWith('secure channel'));

it('a card read in a reply with a bad MAC: reader.tampered, never a badge', async () => {
  const reader = cabinet.reader();
  const since = cabinet.daemon.logs.length;
  reader.corruptNextMac();
  reader.presentCard(BOB_CARD);
  await waitFor(() => tampered().length === 1, 'reader.tampered (secure channel)', 15_000);
  expect(cabinet.ofType('access.granted')).toEqual([]);
  expect(cabinet.stream.slotReleases()).toEqual([]);
  // The session comes back (after the handshake back-off, sequence 0 first) without an outage.
  await sessionBack(since);
  expect(cabinet.ofType('reader.offline')).toEqual([]);
}, 60_000);

it('a replayed reply: refused, never a badge, no crash', async () => {
  const reader = cabinet.reader();
  const since = cabinet.daemon.logs.length;
  reader.replayOldReplyNext();
  await cabinet.daemon.waitForLog(
    (l) => l.msg === 'secured reader broke its session: reply refused, not read',
    15_000,
    since,
  );
  await sessionBack(since);
  expect(cabinet.ofType('access.granted')).toEqual([]);
  expect(cabinet.stream.slotReleases()).toEqual([]);
  expect(cabinet.daemon.crashes).toBe(0);
  // Reads work again on the new session.
  reader.presentCard(BOB_CARD);
  await waitFor(() => cabinet.ofType('access.granted').length === 1, 'access.granted');
}, 60_000);
