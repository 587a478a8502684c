import { describe, expect, it } from 'vitest';
import { CommandCode, SecurityBlockType } from '../../../../drivers/osdp/codes.js';
import type { OsdpReaderSpec, SecureMode } from '../../../../drivers/osdp/link/bus-api.js';
import { RETRY_BASE_MS } from '../../../../drivers/osdp/link/reader-link.js';
import { encodeFrame } from '../../../../drivers/osdp/frame.js';
import { encodeReply } from '../../../../drivers/osdp/replies.js';
import { advanceUntil, bench, type WireRecord } from './helpers/bench.js';
import { ScriptedReader, type ScriptedReaderOptions } from './helpers/scripted-reader.js';

const SCBK = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const OTHER_KEY = Uint8Array.from({ length: 16 }, (_, i) => 0x10 + i);
const CARD = { reader: 0, format: 1, bitCount: 26, data: Uint8Array.of(0x86, 0x43, 0x83, 0xc0) };

const spec = (secure: SecureMode): OsdpReaderSpec => ({
  address: 3,
  name: 'front',
  secure,
  scbk: SCBK,
});

function secured(mode: SecureMode, reader: Omit<ScriptedReaderOptions, 'address'>) {
  const pd = new ScriptedReader({ address: 3, ...reader });
  const b = bench([spec(mode)], [pd]);
  return { ...b, pd };
}

const challenges = (wire: WireRecord[]) =>
  wire.filter(
    (w) => w.frame.code === CommandCode.CHLNG && w.frame.security?.type === SecurityBlockType.BEGIN,
  );
const keysets = (wire: WireRecord[]) => wire.filter((w) => w.frame.code === CommandCode.KEYSET);

describe('OSDP bus: Secure Channel', () => {
  it('establishes a session before it calls the reader online, then reads a card inside it', () => {
    const { bus, clock, pd, wire, recorded } = secured('on', { secure: { scbk: SCBK } });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    expect(recorded.online).toEqual([{ address: 3, secured: true }]);
    clock.advance(60);
    expect(wire.slice(0, 5).map((w) => w.frame.code)).toEqual([
      CommandCode.ID,
      CommandCode.CAP,
      CommandCode.CHLNG,
      CommandCode.SCRYPT,
      CommandCode.POLL,
    ]);
    // The CHLNG names the reader's own key (security block data 01), and the POLL is MACed.
    expect(challenges(wire)[0]?.frame.security?.data).toEqual(Uint8Array.of(1));
    expect(wire[4]?.frame.security?.type).toBe(SecurityBlockType.COMMAND_MAC);
    expect(pd.secured).toBe(true);
    pd.toReport.push({ kind: 'RAW', read: CARD }, { kind: 'KEYPAD', reader: 0, keys: '4711#' });
    clock.advance(300);
    expect(recorded.card).toEqual([{ address: 3, read: CARD }]);
    expect(recorded.keypad).toEqual([{ address: 3, reader: 0, keys: '4711#' }]);
    // The card came back encrypted (security block 18), the bus read it through the session.
    expect(pd.sent.some((bytes) => bytes[6] === 2 && bytes[7] === 0x18)).toBe(true);
    expect(recorded.tampered).toEqual([]);
    bus.stop();
  });

  it("in mode 'on', a reader with another key stays offline and is never re-keyed", () => {
    const { bus, clock, pd, wire, recorded } = secured('on', { secure: { scbk: OTHER_KEY } });
    bus.start();
    clock.advance(8400);
    expect(recorded.offline).toEqual([{ address: 3, reason: 'no valid reply for 8000 ms' }]);
    clock.advance(60_000);
    expect(recorded.online).toEqual([]);
    expect(recorded.offline).toHaveLength(1);
    expect(keysets(wire)).toEqual([]);
    expect(challenges(wire).every((w) => w.frame.security?.data[0] === 1)).toBe(true);
    expect(pd.keysets).toEqual([]);
    // Rate-limited: a handshake every few seconds at most, not every cycle.
    expect(challenges(wire).length).toBeLessThan(12);
    bus.stop();
  });

  it("in mode 'on', a reader in its factory state (default key) is neither keyed nor spoken to with SCBK-D", () => {
    const { bus, clock, pd, wire, recorded } = secured('on', {
      secure: { installMode: true },
      saysDefaultKey: true,
    });
    bus.start();
    clock.advance(20_000);
    expect(recorded.online).toEqual([]);
    expect(keysets(wire)).toEqual([]);
    expect(challenges(wire).length).toBeGreaterThan(0);
    expect(challenges(wire).every((w) => w.frame.security?.data[0] === 1)).toBe(true);
    expect(pd.keysets).toEqual([]);
    bus.stop();
  });

  it('in install mode, moves a reader that says it has the default key to its own key, once', () => {
    const { bus, clock, pd, wire, recorded } = secured('install', {
      secure: { installMode: true },
      saysDefaultKey: true,
    });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    expect(challenges(wire).map((w) => w.frame.security?.data[0])).toEqual([0, 1]);
    expect(keysets(wire)).toHaveLength(1);
    // KEYSET goes inside the SCBK-D session, its data encrypted (security block 17).
    expect(keysets(wire)[0]?.frame.security?.type).toBe(SecurityBlockType.COMMAND_MAC_ENCRYPTED);
    expect(pd.keysets).toEqual([SCBK]);
    expect(recorded.keyed).toEqual([{ address: 3 }]);
    expect(recorded.online).toEqual([{ address: 3, secured: true }]);
    pd.toReport.push({ kind: 'RAW', read: CARD });
    clock.advance(300);
    expect(recorded.card).toHaveLength(1);
    expect(recorded.keyed).toHaveLength(1);
    bus.stop();
  });

  it('in install mode, falls back to SCBK-D when the own key fails and the reader accepts the default', () => {
    const { bus, clock, pd, wire, recorded } = secured('install', {
      secure: { installMode: true },
    });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    expect(challenges(wire).map((w) => w.frame.security?.data[0])).toEqual([1, 0, 1]);
    expect(pd.keysets).toEqual([SCBK]);
    expect(recorded.keyed).toEqual([{ address: 3 }]);
    bus.stop();
  });

  it('in install mode, a reader that already has its own key is not re-keyed', () => {
    const { bus, clock, pd, wire, recorded } = secured('install', { secure: { scbk: SCBK } });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    clock.advance(2000);
    expect(keysets(wire)).toEqual([]);
    expect(challenges(wire).map((w) => w.frame.security?.data[0])).toEqual([1]);
    expect(pd.keysets).toEqual([]);
    expect(recorded.keyed).toEqual([]);
    bus.stop();
  });

  it('in install mode, never hands the own key to whoever answers in place of a reader that proved it had it', () => {
    // The real reader (own key) and an impostor in factory state at the same address: the
    // impostor takes over the line, says it has the default key and would accept SCBK-D. A
    // KEYSET now would send the cabinet's key encrypted under a session anyone can derive.
    const real = new ScriptedReader({ address: 3, secure: { scbk: SCBK } });
    const impostor = new ScriptedReader({
      address: 3,
      secure: { installMode: true },
      saysDefaultKey: true,
    });
    impostor.silent = true;
    const { bus, clock, wire, recorded } = bench([spec('install')], [real, impostor]);
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    const from = wire.length;
    real.silent = true;
    impostor.silent = false;
    clock.advance(60_000);
    const after = wire.slice(from);
    expect(keysets(after)).toEqual([]);
    expect(challenges(after).length).toBeGreaterThan(0);
    expect(challenges(after).every((w) => w.frame.security?.data[0] === 1)).toBe(true);
    expect(impostor.keysets).toEqual([]);
    expect(recorded.keyed).toEqual([]);
    expect(recorded.offline).toHaveLength(1);
    bus.stop();
  });

  it('refuses a reply with a bad MAC unread, raises tampered, and secures the reader again after a pause', () => {
    const { bus, clock, pd, wire, recorded } = secured('on', { secure: { scbk: SCBK } });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    pd.toReport.push({ kind: 'RAW', read: CARD });
    pd.tamperNext = (reply) => withFixedCrc(reply, flipLastMacByte);
    const before = challenges(wire).length;
    clock.advance(200);
    expectTampered(recorded.tampered, /wrong MAC/);
    expect(recorded.card).toEqual([]);
    // No new handshake before the pause…
    clock.advance(RETRY_BASE_MS - 300);
    expect(challenges(wire).length).toBe(before);
    // …then one, and the reader is secured again without ever going offline.
    clock.advance(1000);
    expect(challenges(wire).length).toBe(before + 1);
    expect(pd.secured).toBe(true);
    pd.toReport.push({ kind: 'RAW', read: CARD });
    clock.advance(300);
    expect(recorded.card).toHaveLength(1);
    expect(recorded.offline).toEqual([]);
    expect(recorded.online).toHaveLength(1);
    bus.stop();
  });

  it('refuses a replayed reply (an earlier authentic one with the same sequence number)', () => {
    const { bus, clock, pd, recorded } = secured('on', { secure: { scbk: SCBK } });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    pd.toReport.push({ kind: 'RAW', read: CARD });
    clock.advance(60);
    expect(recorded.card).toHaveLength(1);
    const cardReply = pd.sent.at(-1) as Buffer;
    const sequence = (cardReply[5] ?? 0) & 0x03;
    // Three polls later the sequence number comes round again: the attacker answers for the
    // reader with the recorded card read.
    let replays = 0;
    advanceUntil(
      clock,
      () => {
        if (replays === 0 && pd.tamperNext === undefined) {
          pd.tamperNext = (reply) => {
            if (((reply[5] ?? 0) & 0x03) !== sequence) return reply;
            replays += 1;
            return cardReply;
          };
        }
        return replays > 0;
      },
      'the replay sent',
    );
    clock.advance(20);
    expect(recorded.card).toHaveLength(1);
    expectTampered(recorded.tampered, /wrong MAC/);
    bus.stop();
  });

  it('refuses a plaintext card read from a secured reader', () => {
    const { bus, clock, pd, recorded } = secured('on', { secure: { scbk: SCBK } });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    pd.tamperNext = (reply) =>
      encodeFrame({
        address: 3,
        reply: true,
        sequence: ((reply[5] ?? 0) & 0x03) as 0 | 1 | 2 | 3,
        integrity: 'crc',
        ...encodeReply({ kind: 'RAW', read: CARD }),
      });
    clock.advance(100);
    expect(recorded.card).toEqual([]);
    expectTampered(recorded.tampered, /no MAC/);
    bus.stop();
  });

  it('takes a plaintext NAK from a secured reader as a lost session: a new handshake, no alarm', () => {
    const { bus, clock, pd, wire, recorded } = secured('on', { secure: { scbk: SCBK } });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    const before = challenges(wire).length;
    // The reader restarts: its session is gone; it NAKs the next MACed POLL in plaintext.
    pd.forgetSession();
    clock.advance(3000);
    expect(recorded.tampered).toEqual([]);
    expect(challenges(wire).length).toBe(before + 1);
    expect(pd.secured).toBe(true);
    expect(bus.isOnline(3)).toBe(true);
    expect(recorded.offline).toEqual([]);
    bus.stop();
  });

  it('spaces its handshakes further apart while the session keeps breaking', () => {
    const { bus, clock, pd, wire, recorded } = secured('on', { secure: { scbk: SCBK } });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    // Every sealed reply is forged from now on.
    const forge = (reply: Buffer): Buffer => {
      pd.tamperNext = forge;
      return reply[7] === 0x16 || reply[7] === 0x18 ? withFixedCrc(reply, flipLastMacByte) : reply;
    };
    pd.tamperNext = forge;
    clock.advance(40_000);
    const times = challenges(wire).map((w) => w.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(recorded.tampered.length).toBeGreaterThanOrEqual(4);
    // Each gap is the pause (1, 2, 4, 8 s) plus the few polls of a new start (ID, CAP) and
    // the one that found the forgery.
    for (const [i, pause] of [1000, 2000, 4000, 8000].entries()) {
      expect(gaps[i]).toBeGreaterThanOrEqual(pause);
      expect(gaps[i]).toBeLessThan(pause + 400);
    }
    expect(recorded.card).toEqual([]);
    bus.stop();
  });
});

function expectTampered(tampered: { address: number; reason: string }[], reason: RegExp): void {
  expect(tampered).toHaveLength(1);
  expect(tampered[0]?.address).toBe(3);
  expect(tampered[0]?.reason).toMatch(reason);
}

function flipLastMacByte(covered: Buffer): void {
  const at = covered.length - 1;
  covered[at] = (covered[at] ?? 0) ^ 0x01;
}

/** The frame (mark byte first) changed by `edit`, its CRC made right again: only the MAC is wrong. */
function withFixedCrc(reply: Buffer, edit: (frame: Buffer) => void): Buffer {
  const frame = Buffer.from(reply.subarray(1));
  const body = frame.subarray(0, frame.length - 2);
  edit(body);
  let crc = 0x1d0f;
  for (const byte of body) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  frame[frame.length - 2] = crc & 0xff;
  frame[frame.length - 1] = crc >> 8;
  return Buffer.concat([Buffer.of(0xff), frame]);
}
