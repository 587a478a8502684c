import { afterAll, beforeAll, expect, it } from 'vitest';
import { OsdpCabinet } from '../support/osdp-cabinet.js';
import { waitFor } from '../support/wait-for.js';

/**
 * 'on' mode against a reader still on the factory key: the daemon never sends it KEYSET (its
 * key is unchanged: the simulator is still in install mode) and the reader stays offline, with
 * a log line that says why.
 */
let cabinet: OsdpCabinet;
beforeAll(async () => {
  cabinet = await OsdpCabinet.start({
    secure: 'on',
    readers: [{ address: 1, name: 'front', role: 'badge' }],
    waitOnline: false,
  });
}, 60_000);
afterAll(() => cabinet?.stop());

it('never sends KEYSET; the reader stays offline with a clear log', async () => {
  const reader = cabinet.reader();
  let keyed = false;
  reader.on('keyed', () => (keyed = true));
  await cabinet.daemon.waitForLog(
    (l) =>
      l.level >= 50 &&
      l.msg ===
        'reader says it has the default key and install mode is off: it will not be re-keyed',
    15_000,
  );
  await cabinet.daemon.waitForLog(
    (l) => l.level >= 50 && l.msg === 'secure channel handshake failed: reader stays offline',
    15_000,
  );
  await waitFor(
    () => cabinet.readerEvents('reader.offline').length > 0,
    'reader.offline for the badge reader',
    20_000,
  );
  expect(keyed).toBe(false);
  expect(reader.installMode).toBe(true);
  expect(reader.secured).toBe(false);
  expect(cabinet.daemon.logs.some((l) => l.msg === 'OSDP reader online')).toBe(false);
}, 60_000);
