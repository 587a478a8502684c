import { afterEach, expect, it } from 'vitest';
import { OsdpCabinet } from '../support/osdp-cabinet.js';

/**
 * The daemon (built, a process), its OSDP bus on a socat pty and the PD simulator on the other
 * end: the Secure Channel session is established as the profile's mode says.
 */
let cabinet: OsdpCabinet | undefined;
afterEach(async () => {
  await cabinet?.stop();
  cabinet = undefined;
});

it("'on' mode: the reader on the cabinet's key is secured with it", async () => {
  cabinet = await OsdpCabinet.start({ secure: 'on' });
  const online = await cabinet.daemon.waitForLog((l) => l.msg === 'OSDP reader online');
  expect(online).toMatchObject({ secured: true, reader: 'front' });
  expect(cabinet.reader().secured).toBe(true);
  expect(cabinet.daemon.logs.some((l) => l.msg.includes('default key'))).toBe(false);
}, 60_000);

it("install mode: a factory reader is keyed with KEYSET once, then secured on the cabinet's key", async () => {
  cabinet = await OsdpCabinet.start({
    secure: 'install',
    readers: [{ address: 1, name: 'front', role: 'badge' }],
  });
  const reader = cabinet.reader();
  await cabinet.daemon.waitForLog((l) => l.msg === 'reader now holds its own key');
  const online = await cabinet.daemon.waitForLog((l) => l.msg === 'OSDP reader online');
  expect(online).toMatchObject({ secured: true });
  expect(reader.installMode).toBe(false);
  expect(reader.secured).toBe(true);
  expect(cabinet.daemon.logs.filter((l) => l.msg === 'reader now holds its own key')).toHaveLength(
    1,
  );
}, 60_000);
