import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPin } from '../../src/store/pin-hash.js';
import { simPost } from '../support/daemon-process.js';
import { BOB_CARD, BOB_CARD_NUMBER, BOB_SLOT, OsdpCabinet } from '../support/osdp-cabinet.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Bob's credential needs a PIN (2580): the card at the simulated OSDP reader asks for it (the
 * reader blinks amber), the keys typed on the reader's keypad go over the secured bus to the
 * daemon's policy, and only the right PIN releases his slot.
 */
const CHEAP = { N: 1024, r: 8, p: 1 };
let cabinet: OsdpCabinet;

beforeAll(async () => {
  cabinet = await OsdpCabinet.start({ secure: 'on' });
  const db = new BetterSqlite3(cabinet.database);
  db.prepare('UPDATE credentials SET pin_required = 1, pin_hash = ? WHERE card = ?').run(
    await hashPin('2580', CHEAP),
    BOB_CARD_NUMBER,
  );
  db.close();
}, 60_000);
afterAll(() => cabinet?.stop());

async function cardThenKeys(keys: string): Promise<void> {
  const reader = cabinet.reader();
  reader.presentCard(BOB_CARD);
  await waitFor(
    () => reader.led().flashing && reader.led().onColor === 'amber',
    'the reader asking for the PIN (amber)',
  );
  reader.typeKeys(keys);
}

it('a wrong PIN on the keypad is denied, nothing released', async () => {
  await cardThenKeys('1111#');
  await waitFor(() => cabinet.ofType('access.denied').length === 1, 'access.denied');
  expect(cabinet.ofType('access.denied')[0]?.data).toMatchObject({ reason: 'wrong_pin' });
  expect(cabinet.stream.slotReleases()).toEqual([]);
}, 30_000);

it("the right PIN on the keypad grants: Bob's slot released", async () => {
  await cardThenKeys('2580#');
  await waitFor(() => cabinet.ofType('access.granted').length === 1, 'access.granted');
  expect(cabinet.ofType('access.granted')[0]?.data).toMatchObject({ slots: [BOB_SLOT] });
  await waitFor(() => cabinet.stream.slotReleases().includes(BOB_SLOT), 'the solenoid on');
  const url = cabinet.daemon.simUrl();
  await simPost(url, '/door', { action: 'open' });
  await simPost(url, '/door', { action: 'close' });
}, 30_000);
