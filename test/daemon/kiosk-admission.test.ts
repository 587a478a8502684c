import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ConnectionEnds } from '../../drivers/loopback-owner/loopback-owner.js';
import { createLogger } from '../../src/log/logger.js';
import { kioskAdmission } from '../../src/daemon/services/kiosk-admission.js';

/**
 * The screen server's decision per connection, with the kernel's table stood in for: who owns
 * which client port. (test/web/cabinet-screen-kiosk.test.ts reads the real table.)
 */
function setUp(owners: Record<number, number | null>) {
  const lines: { msg: string; uid: number | null }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as (typeof lines)[number]);
      }
      done();
    },
  });
  const lookups: ConnectionEnds[] = [];
  let now = 0;
  const admit = kioskAdmission({
    kioskUid: 1001,
    logger: createLogger({ level: 'info', pretty: false, destination }),
    ownerOf: (ends) => {
      lookups.push(ends);
      return owners[ends.clientPort] ?? null;
    },
    now: () => now,
  });
  return { admit, lines, lookups, advance: (ms: number) => (now += ms) };
}

/** A socket whose ends are as given (a real net.Socket, never connected). */
function socketFrom(clientPort: number): Socket {
  const socket = new Socket();
  Object.defineProperties(socket, {
    remoteAddress: { value: '127.0.0.1' },
    remotePort: { value: clientPort },
    localAddress: { value: '127.0.0.1' },
    localPort: { value: 8090 },
  });
  return socket;
}

describe('which connections the cabinet screen answers (screen.kioskUser)', () => {
  it("admits the kiosk user's connection, refuses another's and one nobody owns", () => {
    const { admit } = setUp({ 40000: 1001, 40001: 1003 });
    expect(admit(socketFrom(40000))).toBe(true);
    expect(admit(socketFrom(40001))).toBe(false);
    expect(admit(socketFrom(40002))).toBe(false);
  });

  it('decides once per connection: a keep-alive connection is not looked up again', () => {
    const { admit, lookups } = setUp({ 40000: 1001 });
    const socket = socketFrom(40000);
    for (let i = 0; i < 5; i++) expect(admit(socket)).toBe(true);
    expect(lookups).toEqual([
      {
        clientAddress: '127.0.0.1',
        clientPort: 40000,
        serverAddress: '127.0.0.1',
        serverPort: 8090,
      },
    ]);
  });

  it('logs a refusal with the uid, at most once a minute per uid: a flood cannot fill the journal', () => {
    const { admit, lines, advance } = setUp({ 40001: 1003, 40002: 1004 });
    for (let i = 0; i < 50; i++) admit(socketFrom(40001));
    admit(socketFrom(40002));
    admit(socketFrom(40009));
    expect(lines.map((l) => l.uid)).toEqual([1003, 1004, null]);
    expect(lines[0]?.msg).toBe(
      'cabinet screen refused a connection of uid 1003: only the kiosk user may use it',
    );
    advance(60_000);
    admit(socketFrom(40001));
    expect(lines.map((l) => l.uid)).toEqual([1003, 1004, null, 1003]);
  });
});
