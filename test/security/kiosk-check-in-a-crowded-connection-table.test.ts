import { describe, expect, it } from 'vitest';
import { loopbackClientOwner } from '../../drivers/loopback-owner/loopback-owner.js';

/**
 * The cabinet screen's kiosk check (screen.kioskUser) reads the kernel's whole table of TCP
 * sockets for every new connection, in the daemon's one thread, which also runs the cabinet.
 * Any local user can make that table long (connections to a server of their own: two rows each)
 * and then open connection after connection to the screen: each lookup parsed every row, about
 * 50 ms of CPU per lookup at 200,000 rows here (several times that on a Pi), so a few dozen
 * connections a second kept the daemon from badges and keys. Only the rows with both ports are
 * worth reading.
 */
const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

function crowdedTable(rows: number): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    // A stranger's connections to their own server on port 0x2328, as the kernel prints them.
    const port = (10_000 + (i % 50_000)).toString(16).toUpperCase().padStart(4, '0');
    lines.push(
      `${String(i).padStart(5)}: 0100007F:${port} 0100007F:2328 01 00000000:00000000 00:00000000 00000000  1003        0 ${100_000 + i} 1 0000000000000000 20 4 30 10 -1`,
    );
  }
  // The kiosk's own connection to the screen at 8090 (0x1F9A), from port 40000 (0x9C40), last.
  lines.push(
    '99999: 0100007F:9C40 0100007F:1F9A 01 00000000:00000000 00:00000000 00000000  1001        0 9 1 0000000000000000 20 4 30 10 -1',
  );
  return lines.join('\n');
}

describe('the kiosk check with a crowded table of connections', () => {
  it('attack: one lookup among 200,000 rows costs a few milliseconds of CPU, not a tenth of a second', () => {
    const table = crowdedTable(200_000);
    const read = (file: string) => (file.endsWith('tcp6') ? HEADER : table);
    const kiosk = {
      clientAddress: '127.0.0.1',
      clientPort: 40_000,
      serverAddress: '127.0.0.1',
      serverPort: 8090,
    };
    expect(loopbackClientOwner(kiosk, read)).toBe(1001);
    const lookups = 5;
    const before = process.cpuUsage();
    for (let i = 0; i < lookups; i++) loopbackClientOwner(kiosk, read);
    const used = process.cpuUsage(before);
    const msPerLookup = (used.user + used.system) / 1000 / lookups;
    // CPU time, not wall time: other work on the machine does not count against it.
    expect(msPerLookup).toBeLessThan(50);
  });
});
