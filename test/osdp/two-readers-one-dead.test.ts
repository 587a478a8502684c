import { afterAll, beforeAll, expect, it } from 'vitest';
import { BOB_CARD, BOB_SLOT, CABINET_KEY, OsdpCabinet } from '../support/osdp-cabinet.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Two readers on one OSDP line, the second one dead (it never answers): the bus gives it one
 * timeout a cycle, then a turn every tenth cycle once it is offline; the badge reader beside it
 * stays online and its card reads still reach the policy.
 */
let cabinet: OsdpCabinet;
beforeAll(async () => {
  cabinet = await OsdpCabinet.start({
    secure: 'on',
    readers: [
      { address: 1, name: 'front', role: 'badge', scbk: CABINET_KEY },
      { address: 2, name: 'bench', role: 'polled', scbk: CABINET_KEY },
    ],
  });
}, 60_000);
afterAll(() => cabinet?.stop());

it("the dead reader is offline; the live one's card still releases the slot", async () => {
  const since = cabinet.daemon.logs.length;
  cabinet.reader('bench').faults.dead = true;
  await cabinet.daemon.waitForLog(
    (l) => l.msg === 'polled OSDP reader offline' && l.reader === 'bench',
    15_000,
    since,
  );
  cabinet.reader('front').presentCard(BOB_CARD);
  await waitFor(() => cabinet.ofType('access.granted').length === 1, 'access.granted');
  await waitFor(() => cabinet.stream.slotReleases().includes(BOB_SLOT), 'the solenoid on');
  // The badge reader itself never went away, and the daemon is still the same process.
  expect(cabinet.ofType('reader.offline')).toEqual([]);
  expect(cabinet.daemon.crashes).toBe(0);
}, 60_000);
