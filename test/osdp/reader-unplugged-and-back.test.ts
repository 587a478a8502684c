import { afterAll, beforeAll, expect, it } from 'vitest';
import { BOB_CARD, BOB_SLOT, OsdpCabinet } from '../support/osdp-cabinet.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The OSDP line cut (socat killed: the daemon's serial device vanishes) and back: the badge
 * reader is reader.offline, then reader.online once the bus has the reader secured again, and
 * a card read after that works as before.
 */
let cabinet: OsdpCabinet;
beforeAll(async () => {
  cabinet = await OsdpCabinet.start({ secure: 'on' });
}, 60_000);
afterAll(() => cabinet?.stop());

it('unplugged: reader.offline; back: reader.online, secured again, and a card read works', async () => {
  expect(cabinet.ofType('reader.offline')).toEqual([]);
  await cabinet.unplug();
  await waitFor(
    () => cabinet.readerEvents('reader.offline').length > 0,
    'reader.offline for the badge reader',
    15_000,
  );
  const since = cabinet.daemon.logs.length;
  await cabinet.replug();
  await cabinet.daemon.waitForLog((l) => l.msg === 'OSDP reader online', 20_000, since);
  await waitFor(
    () => cabinet.readerEvents('reader.online').length > 0,
    'reader.online for the badge reader',
    15_000,
  );
  expect(cabinet.reader().secured).toBe(true);

  cabinet.reader().presentCard(BOB_CARD);
  await waitFor(() => cabinet.ofType('access.granted').length === 1, 'access.granted');
  await waitFor(() => cabinet.stream.slotReleases().includes(BOB_SLOT), 'the solenoid on');
}, 60_000);
