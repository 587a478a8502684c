import { describe, expect, it } from 'vitest';
import { createOsdpBus } from '../../../../drivers/osdp/link/bus.js';
import {
  DEFAULT_POLL_INTERVAL_MS,
  OFFLINE_PROBE_EVERY_CYCLES,
} from '../../../../drivers/osdp/link/bus.js';
import { isOsdpError } from '../../../../drivers/osdp/osdp-error.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { hex, unhex } from '../helpers/hex.js';
import { advanceUntil, bench } from './helpers/bench.js';
import { ScriptedReader } from './helpers/scripted-reader.js';
import type { OsdpReaderSpec } from '../../../../drivers/osdp/link/bus-api.js';

const plain = (address: number, name = `r${address}`): OsdpReaderSpec => ({
  address,
  name,
  secure: 'off',
});

/** Facility 12, card 34567 in H10301 (docs/osdp.md): 26 bits. */
const CARD = { reader: 0, format: 1, bitCount: 26, data: Uint8Array.of(0x86, 0x43, 0x83, 0xc0) };

function oneReader(options: Parameters<typeof bench>[2] = {}) {
  const reader = new ScriptedReader({ address: 0 });
  const b = bench([plain(0, 'front')], [reader], options);
  return { ...b, reader };
}

describe('OSDP bus: a plaintext reader', () => {
  it('starts the reader with ID then CAP (sequence 0 then 1), then polls 2, 3, 1, … byte for byte', () => {
    const { bus, clock, wire, recorded } = oneReader();
    bus.start();
    clock.advance(260);
    // Computed by hand from the specification (CRC-16/AUG-CCITT), not by the core.
    expect(wire.slice(0, 6).map((w) => hex(w.bytes))).toEqual([
      'ff 53 00 09 00 04 61 00 c0 66',
      'ff 53 00 09 00 05 62 00 a3 04',
      'ff 53 00 08 00 06 60 89 cc',
      'ff 53 00 08 00 07 60 b8 ff',
      'ff 53 00 08 00 05 60 da 99',
      'ff 53 00 08 00 06 60 89 cc',
    ]);
    expect(recorded.online).toEqual([{ address: 0, secured: false }]);
    expect(bus.isOnline(0)).toBe(true);
    bus.stop();
  });

  it('turns a RAW reply into a card and a KEYPAD reply into keys, and reports status changes only', () => {
    const { bus, clock, reader, recorded } = oneReader();
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    reader.toReport.push(
      { kind: 'RAW', read: CARD },
      { kind: 'KEYPAD', reader: 0, keys: '12#' },
      { kind: 'LSTATR', tamper: true, powerFailure: false },
      { kind: 'LSTATR', tamper: true, powerFailure: false },
      { kind: 'LSTATR', tamper: false, powerFailure: false },
    );
    clock.advance(1000);
    expect(recorded.card).toEqual([{ address: 0, read: CARD }]);
    expect(recorded.keypad).toEqual([{ address: 0, reader: 0, keys: '12#' }]);
    expect(recorded.status).toEqual([
      { address: 0, tamper: true, powerFailure: false },
      { address: 0, tamper: false, powerFailure: false },
    ]);
    expect(recorded.garbled).toEqual([]);
    bus.stop();
  });

  it('polls each reader about every 50 ms, one command on the wire at a time', () => {
    const { bus, clock, wire } = oneReader();
    bus.start();
    clock.advance(200);
    const from = wire.length;
    clock.advance(1000);
    const polls = wire.length - from;
    expect(polls).toBeGreaterThanOrEqual(1000 / DEFAULT_POLL_INTERVAL_MS - 1);
    expect(polls).toBeLessThanOrEqual(1000 / DEFAULT_POLL_INTERVAL_MS + 1);
    bus.stop();
  });

  it('resends the same bytes after a lost reply, and a late reply does not shift the sequence', () => {
    const { bus, clock, reader, wire, recorded } = oneReader();
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    reader.toReport.push({ kind: 'RAW', read: CARD });
    reader.delayNextMs = 250; // past the 200 ms timeout: the bus sends the POLL again
    const from = wire.length;
    clock.advance(2000);
    const after = wire.slice(from);
    // The POLL that got the card, then the same bytes again (same sequence number).
    expect(hex(after[1]?.bytes ?? Buffer.alloc(0))).toBe(hex(after[0]?.bytes ?? Buffer.alloc(1)));
    expect(reader.repeats).toBe(1);
    expect(recorded.card).toHaveLength(1);
    // The second copy of the answer is not taken for the next POLL's.
    expect(
      recorded.garbled.some((g) => g.reason === 'unasked' || g.reason === 'wrong sequence'),
    ).toBe(true);
    // And the conversation goes on in order: every later POLL is answered at once.
    const sequences = after.slice(2).map((w) => w.frame.sequence);
    for (let i = 1; i < sequences.length; i += 1) {
      expect(sequences[i]).toBe(sequences[i - 1] === 3 ? 1 : (sequences[i - 1] ?? 0) + 1);
    }
    expect(recorded.offline).toEqual([]);
    bus.stop();
  });

  it('does not take a late reply for the answer to the next command (libosdp #110)', () => {
    const { bus, clock, reader, wire, recorded } = oneReader();
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    reader.toReport.push({ kind: 'RAW', read: CARD });
    // Timeout at 200, resend answered at 212, next POLL at 250 (answered at 262): the first
    // answer lands at 255, while that next POLL (another sequence number) is outstanding.
    reader.delayNextMs = 255;
    const from = wire.length;
    clock.advance(1000);
    expect(wire[from + 2]?.frame.sequence).not.toBe(wire[from]?.frame.sequence);
    expect(recorded.card).toHaveLength(1);
    expect(recorded.garbled.map((g) => g.reason)).toEqual(['wrong sequence']);
    // The next POLL still got its own answer: nothing was resent for it.
    expect(reader.repeats).toBe(1);
    bus.stop();
  });

  it('takes a duplicated reply once', () => {
    const { bus, clock, reader, recorded } = oneReader();
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    reader.toReport.push({ kind: 'RAW', read: CARD });
    reader.tamperNext = (reply) => Buffer.concat([reply, reply]);
    clock.advance(500);
    expect(recorded.card).toHaveLength(1);
    expect(recorded.garbled.length).toBeGreaterThan(0);
    bus.stop();
  });

  it('ignores a reply from another address, and garbage between frames', () => {
    const { bus, clock, reader, recorded } = oneReader();
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    reader.toReport.push({ kind: 'RAW', read: CARD });
    reader.tamperNext = (reply) => {
      // Another reader (address 5) answering with the same sequence number, then noise,
      // then the real answer.
      // The reply is FF 53 ADDR …: the impostor is its address-to-data part at address 5.
      const body = Buffer.from(reply.subarray(2, reply.length - 2));
      body[0] = 0x85;
      const fixed = createImpostor(body);
      return Buffer.concat([fixed, unhex('00 13 37 53 99 ff'), reply]);
    };
    clock.advance(500);
    expect(recorded.card).toEqual([{ address: 0, read: CARD }]);
    expect(recorded.garbled.map((g) => g.reason)).toEqual(
      expect.arrayContaining(['wrong address', expect.stringMatching(/outside a frame|bad CRC/)]),
    );
    expect(recorded.offline).toEqual([]);
    bus.stop();
  });

  it('ignores the echo of its own commands (an RS-485 adapter that hears itself)', () => {
    const { bus, clock, reader, recorded } = oneReader({ echo: true });
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    reader.toReport.push({ kind: 'RAW', read: CARD });
    clock.advance(500);
    expect(recorded.card).toHaveLength(1);
    expect(recorded.garbled.filter((g) => g.reason === 'echo').length).toBeGreaterThan(5);
    expect(recorded.garbled.every((g) => g.reason === 'echo')).toBe(true);
    bus.stop();
  });

  it('announces a reader that never answers offline after 8 s, exactly once', () => {
    const { bus, clock, reader, recorded } = oneReader();
    reader.silent = true;
    bus.start();
    clock.advance(7900);
    expect(recorded.offline).toEqual([]);
    clock.advance(400);
    expect(recorded.offline).toEqual([{ address: 0, reason: 'no valid reply for 8000 ms' }]);
    clock.advance(60_000);
    expect(recorded.offline).toHaveLength(1);
    expect(recorded.online).toEqual([]);
    expect(bus.isOnline(0)).toBe(false);
    bus.stop();
  });

  it('brings a reader back only after it answers again, starting over with ID at sequence 0', () => {
    const { bus, clock, reader, recorded, wire } = oneReader();
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    reader.silent = true;
    advanceUntil(clock, () => recorded.offline.length === 1, 'offline');
    // Probes go on, but no 'online' comes from silence.
    clock.advance(5000);
    expect(recorded.online).toHaveLength(1);
    const from = wire.length;
    reader.silent = false;
    advanceUntil(clock, () => bus.isOnline(0), 'online again');
    expect(recorded.online).toEqual([
      { address: 0, secured: false },
      { address: 0, secured: false },
    ]);
    const back = wire.slice(from);
    const firstAnswered = back.findIndex((w) => w.frame.code === 0x61);
    expect(back[firstAnswered]?.frame.sequence).toBe(0);
    bus.stop();
  });

  it('stops the reader and every pending command when its port goes away, and starts over when it is back', async () => {
    const { bus, clock, recorded } = oneReader();
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    const pending = bus.send(0, { kind: 'LSTAT' });
    bus.portOffline('disconnected');
    await expect(pending).rejects.toMatchObject({ code: 'READER_OFFLINE' });
    expect(recorded.offline).toEqual([{ address: 0, reason: 'serial port: disconnected' }]);
    bus.portOnline();
    advanceUntil(clock, () => bus.isOnline(0), 'online again');
    expect(recorded.online).toHaveLength(2);
    bus.stop();
  });
});

describe('OSDP bus: several readers on one line', () => {
  it('keeps polling a live reader while another is dead, and probes the dead one less often', () => {
    const live = new ScriptedReader({ address: 1 });
    const dead = new ScriptedReader({ address: 2 });
    dead.silent = true;
    const { bus, clock, wire, recorded } = bench([plain(1), plain(2)], [live, dead]);
    bus.start();
    advanceUntil(clock, () => recorded.offline.length === 1, 'the dead one offline');
    expect(recorded.offline).toEqual([{ address: 2, reason: 'no valid reply for 8000 ms' }]);
    const start = clock.now();
    const from = wire.length;
    clock.advance(10_000);
    const window = wire.slice(from);
    const pollsToLive = window.filter((w) => w.frame.address === 1).length;
    const probesToDead = window.filter((w) => w.frame.address === 2).length;
    // Alone, the live reader gets 200 polls in 10 s. With the dead one probed every 10 cycles at
    // a cost of one 200 ms timeout: 10 polls per 9 × 50 + 12 + 200 ms, about 150.
    expect(pollsToLive).toBeGreaterThanOrEqual(140);
    expect(probesToDead).toBeLessThanOrEqual(
      Math.ceil(pollsToLive / OFFLINE_PROBE_EVERY_CYCLES) + 1,
    );
    expect(probesToDead).toBeGreaterThanOrEqual(10);
    // No poll to the live one waited more than one timeout plus a poll interval.
    const times = window.filter((w) => w.frame.address === 1).map((w) => w.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? start));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(200 + 12 + DEFAULT_POLL_INTERVAL_MS);
    expect(bus.isOnline(1)).toBe(true);
    expect(recorded.offline).toHaveLength(1);
    bus.stop();
  });

  it('sends a card read by the reader that read it', () => {
    const a = new ScriptedReader({ address: 1 });
    const b = new ScriptedReader({ address: 2 });
    const { bus, clock, recorded } = bench([plain(1), plain(2)], [a, b]);
    bus.start();
    advanceUntil(clock, () => bus.isOnline(1) && bus.isOnline(2), 'both online');
    b.toReport.push({ kind: 'RAW', read: CARD });
    clock.advance(300);
    expect(recorded.card).toEqual([{ address: 2, read: CARD }]);
    bus.stop();
  });
});

describe('OSDP bus: send()', () => {
  it('sends commands to one reader in the order given, between polls, and resolves with each reply', async () => {
    const { bus, clock, reader, wire } = oneReader();
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    const from = wire.length;
    const seen = reader.received.length;
    const led = {
      reader: 0,
      led: 0,
      temporary: { control: 0, onTime: 0, offTime: 0, onColor: 0, offColor: 0, timer: 0 },
      permanent: { control: 1, onTime: 1, offTime: 0, onColor: 2, offColor: 0 },
    };
    const replies = [
      bus.send(0, { kind: 'LED', leds: [led] }),
      bus.send(0, { kind: 'BUZ', buzzer: { reader: 0, tone: 2, onTime: 1, offTime: 1, count: 1 } }),
      bus.send(0, { kind: 'LSTAT' }),
      bus.send(0, { kind: 'RSTAT' }),
    ];
    clock.advance(500);
    expect(await Promise.all(replies)).toEqual([
      { kind: 'ACK' },
      { kind: 'ACK' },
      { kind: 'LSTATR', tamper: false, powerFailure: false },
      expect.objectContaining({ kind: 'NAK', reasonCode: 3 }),
    ]);
    const sent = reader.received
      .slice(seen)
      .map((c) => c.kind)
      .filter((k) => k !== 'POLL');
    expect(sent).toEqual(['LED', 'BUZ', 'LSTAT', 'RSTAT']);
    expect(wire.slice(from).filter((w) => w.frame.code === 0x60).length).toBeGreaterThan(0);
    bus.stop();
  });

  it('refuses what it must not send, and what it cannot', async () => {
    const { bus, clock, reader } = oneReader();
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => (isOsdpError(e) ? e.code : 'other'),
      );
    expect(await code(bus.send(0, { kind: 'LSTAT' }))).toBe('BUS_STOPPED');
    bus.start();
    expect(await code(bus.send(0, { kind: 'LSTAT' }))).toBe('READER_OFFLINE');
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    expect(await code(bus.send(9, { kind: 'LSTAT' }))).toBe('INVALID_ARGUMENT');
    expect(await code(bus.send(0, { kind: 'KEYSET', keyType: 1, key: new Uint8Array(16) }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await code(bus.send(0, { kind: 'POLL' }))).toBe('INVALID_ARGUMENT');
    expect(await code(bus.send(0, { kind: 'CHLNG', cpRandom: new Uint8Array(8) }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await code(bus.send(0, { kind: 'COMSET', address: 0x7f, baudRate: 9600 }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await code(bus.send(0, { kind: 'COMSET', address: 3, baudRate: 1234 }))).toBe(
      'INVALID_ARGUMENT',
    );
    // A reader that stops answering: the command is given up after its resends.
    reader.silent = true;
    const lost = code(bus.send(0, { kind: 'LSTAT' }));
    clock.advance(2000);
    expect(await lost).toBe('NO_REPLY');
    expect(reader.received.some((c) => c.kind === 'KEYSET')).toBe(false);
    bus.stop();
  });

  it('rejects pending commands when it stops, and writes nothing after', async () => {
    const { bus, clock, wire } = oneReader();
    bus.start();
    advanceUntil(clock, () => bus.isOnline(0), 'online');
    const pending = [bus.send(0, { kind: 'LSTAT' }), bus.send(0, { kind: 'ISTAT' })];
    bus.stop();
    for (const p of pending) await expect(p).rejects.toMatchObject({ code: 'BUS_STOPPED' });
    const written = wire.length;
    clock.advance(5000);
    expect(wire.length).toBe(written);
  });

  it('refuses a bad reader list when it is made', () => {
    const make = (readers: OsdpReaderSpec[]) => () =>
      createOsdpBus({ readers, write: () => undefined, logger: silentLogger() });
    expect(make([plain(1), plain(1)])).toThrow(/used twice/);
    expect(make([plain(127)])).toThrow(/0-126/);
    expect(make([{ address: 1, name: 'x', secure: 'on' }])).toThrow(/16-byte scbk/);
  });
});

/** The frame `body` (from the address byte to before the CRC) with a correct CRC. */
function createImpostor(body: Uint8Array): Buffer {
  const frame = Buffer.concat([Buffer.of(0x53), body]);
  let crc = 0x1d0f;
  for (const byte of frame) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return Buffer.concat([frame, Buffer.of(crc & 0xff, crc >> 8)]);
}
