import { afterAll, beforeAll, expect, it } from 'vitest';
import { simPost } from '../support/daemon-process.js';
import { BOB_CARD, BOB_CARD_NUMBER, BOB_SLOT, OsdpCabinet } from '../support/osdp-cabinet.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A card held to the simulated OSDP reader, over the secured bus on a socat pty, through the
 * built daemon: the policy decides, the permitted slot's solenoid switches on (the simulator's
 * stream), the events say so and the reader's LED shows the outcome.
 */
let cabinet: OsdpCabinet;
beforeAll(async () => {
  cabinet = await OsdpCabinet.start({ secure: 'on' });
}, 60_000);
afterAll(() => cabinet?.stop());

it("a holder's H10301 card: granted, the permitted slot's solenoid on, the reader green", async () => {
  const reader = cabinet.reader();
  reader.presentCard(BOB_CARD);
  await waitFor(() => cabinet.ofType('access.granted').length === 1, 'access.granted');
  expect(cabinet.ofType('access.granted')[0]?.data).toMatchObject({
    card: expect.stringContaining(BOB_CARD_NUMBER.slice(-4)) as unknown,
    slots: [BOB_SLOT],
  });
  await waitFor(() => cabinet.stream.slotReleases().includes(BOB_SLOT), 'the solenoid on');
  expect(cabinet.stream.slotReleases()).toEqual([BOB_SLOT]);
  await waitFor(() => reader.led().color === 'green' && !reader.led().flashing, 'steady green');
  // The session ends with the door used and closed: the reader goes dark again.
  const url = cabinet.daemon.simUrl();
  await simPost(url, '/door', { action: 'open' });
  await simPost(url, '/door', { action: 'close' });
  await waitFor(() => reader.led().color === 'black', 'the reader dark');
}, 30_000);

it('an unknown card: denied, nothing switched on, the reader blinks red', async () => {
  const reader = cabinet.reader();
  const released = cabinet.stream.slotReleases().length;
  reader.presentCard({ format: 'H10301', facility: 99, card: 4242 });
  await waitFor(() => cabinet.ofType('access.denied').length === 1, 'access.denied');
  expect(cabinet.ofType('access.denied')[0]?.data).toMatchObject({ reason: 'unknown_card' });
  await waitFor(
    () => reader.led().flashing && reader.led().onColor === 'red',
    'the reader blinking red',
  );
  expect(cabinet.stream.slotReleases()).toHaveLength(released);
}, 30_000);
