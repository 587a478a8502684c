import { describe, expect, it } from 'vitest';
import type { BadgeSourceEvents } from '../../../../drivers/badge-source.js';
import { KEY_GAP_MS, OsdpBadgeReader } from '../../../../drivers/osdp/cabinet/osdp-badge-reader.js';
import type { OsdpCardFormat } from '../../../../drivers/osdp/osdp-card-number.js';
import { packBits, encodeCard } from '../../../../drivers/osdp/wiegand.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { FakeOsdpBus } from '../../../support/fake-osdp-bus.js';

const BADGE = 3;
const POLLED = 9;
const WIEGAND: OsdpCardFormat[] = [
  { kind: 'wiegand', format: 'H10301' },
  { kind: 'wiegand', format: 'H10304' },
];

function rig(cardFormats: OsdpCardFormat[] = WIEGAND) {
  const bus = new FakeOsdpBus();
  let now = 1_000;
  const reader = new OsdpBadgeReader({
    bus,
    address: BADGE,
    names: new Map([
      [BADGE, 'front'],
      [POLLED, 'bench'],
    ]),
    cardFormats,
    quietMs: 300,
    now: () => now,
    logger: silentLogger(),
  });
  const seen: { event: keyof BadgeSourceEvents; value: unknown }[] = [];
  for (const event of ['badge', 'keypad', 'garbled', 'online', 'offline', 'tampered'] as const) {
    reader.on(event, (value?: unknown) => seen.push({ event, value }));
  }
  const card = (address: number, bitCount: number, data: Uint8Array) =>
    bus.emit('card', { address, read: { reader: 0, format: 1, bitCount, data } });
  const wiegand = (
    format: 'H10301' | 'H10304',
    facility: number,
    number: number,
    address = BADGE,
  ) => {
    const { bitCount, data } = encodeCard(format, facility, number);
    card(address, bitCount, data);
  };
  const keys = (text: string, address = BADGE) =>
    bus.emit('keypad', { address, reader: 0, keys: text });
  return {
    bus,
    reader,
    seen,
    card,
    wiegand,
    keys,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const bitsOf = (text: string) => packBits([...text].map(Number));

describe('an OSDP badge reader as the cabinet sees it', () => {
  it('an H10301 read is the card string of facility and card number (published bits 86 43 83 C0)', () => {
    const r = rig();
    r.card(BADGE, 26, Uint8Array.from([0x86, 0x43, 0x83, 0xc0]));
    expect(r.seen).toEqual([{ event: 'badge', value: { card: '01234567' } }]);
  });

  it('an H10304 read: 5 facility digits and 6 card digits', () => {
    const r = rig();
    r.wiegand('H10304', 1234, 56789);
    expect(r.seen).toEqual([{ event: 'badge', value: { card: '01234056789' } }]);
  });

  it('a bad parity is garbled with the format, never a badge', () => {
    const r = rig();
    const { data } = encodeCard('H10301', 12, 34567);
    data[3] = (data[3] ?? 0) ^ 0x40; // the odd parity bit (bit 25)
    r.card(BADGE, 26, data);
    expect(r.seen).toEqual([
      { event: 'garbled', value: { reason: 'H10301 card read with a bad parity bit' } },
    ]);
  });

  it('a bit count no format has is garbled, naming the count and the formats', () => {
    const r = rig();
    r.card(BADGE, 34, new Uint8Array(5));
    expect(r.seen).toEqual([
      {
        event: 'garbled',
        value: {
          reason: 'a 34-bit card read matches no card format of the profile (H10301, H10304)',
        },
      },
    ]);
  });

  it('too few data bytes for the bit count is garbled', () => {
    const r = rig([{ kind: 'raw', bits: 32, as: 'hex' }]);
    r.card(BADGE, 32, new Uint8Array(3));
    expect(r.seen[0]?.event).toBe('garbled');
  });

  it('raw formats take the bits whole, in hex padded or decimal', () => {
    const r = rig([
      { kind: 'raw', bits: 32, as: 'hex' },
      { kind: 'raw', bits: 40, as: 'decimal' },
    ]);
    r.card(BADGE, 32, Uint8Array.from([0x00, 0x12, 0xab, 0xcd]));
    r.card(BADGE, 40, Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(r.seen).toEqual([
      { event: 'badge', value: { card: '0012ABCD' } },
      { event: 'badge', value: { card: String(2 ** 40 - 1) } },
    ]);
    // Bits past the count (padding) are not part of the number.
    r.advance(1_000);
    r.card(BADGE, 32, Uint8Array.from([0x00, 0x12, 0xab, 0xcd, 0xff]));
    expect(r.seen.at(-1)).toEqual({ event: 'badge', value: { card: '0012ABCD' } });
  });

  it('the first format of a bit count wins, in the profile order', () => {
    const r = rig([{ kind: 'raw', bits: 26, as: 'hex' }, ...WIEGAND]);
    r.card(BADGE, 26, bitsOf('10000110010000111000001111'));
    expect(r.seen).toEqual([{ event: 'badge', value: { card: '2190E0F' } }]);
  });

  it('a card held in the field is one presentation; the same card later is a new one', () => {
    const r = rig();
    r.wiegand('H10301', 12, 34567);
    r.advance(200);
    r.wiegand('H10301', 12, 34567);
    r.advance(200);
    r.wiegand('H10301', 12, 34568);
    r.advance(1_000);
    r.wiegand('H10301', 12, 34568);
    expect(r.seen.map((s) => s.value)).toEqual([
      { card: '01234567' },
      { card: '01234568' },
      { card: '01234568' },
    ]);
  });

  it('keys sent one at a time gather into a PIN; * cancels', () => {
    const r = rig();
    for (const key of '1234#') r.keys(key);
    r.keys('98*');
    r.keys('55#');
    expect(r.seen).toEqual([
      { event: 'keypad', value: { kind: 'pin', digits: '1234' } },
      { event: 'keypad', value: { kind: 'cancel' } },
      { event: 'keypad', value: { kind: 'pin', digits: '55' } },
    ]);
  });

  it('a PIN left half typed is forgotten after a pause, and by a badge', () => {
    const r = rig();
    r.keys('12');
    r.advance(KEY_GAP_MS + 1);
    r.keys('34#');
    r.keys('77');
    r.wiegand('H10301', 1, 2);
    r.keys('8#');
    expect(r.seen.filter((s) => s.event === 'keypad').map((s) => s.value)).toEqual([
      { kind: 'pin', digits: '34' },
      { kind: 'pin', digits: '8' },
    ]);
  });

  it('too many digits, an empty #, a function key: garbled, no digits repeated', () => {
    const r = rig();
    r.keys('1234567890123');
    r.keys('#');
    r.keys('A');
    expect(r.seen).toEqual([
      {
        event: 'garbled',
        value: { reason: 'keypad: more than 12 digits before #; the entry was dropped' },
      },
      { event: 'garbled', value: { reason: 'keypad: # with no digits before it' } },
      { event: 'garbled', value: { reason: 'keypad: function key A ignored' } },
    ]);
    // The 13th digit started nothing: after the drop, '#' had no digits.
  });

  it("a polled reader's cards and keys never reach the cabinet", () => {
    const r = rig();
    r.wiegand('H10301', 12, 34567, POLLED);
    r.keys('1234#', POLLED);
    r.bus.bringOnline(POLLED);
    r.bus.emit('status', { address: POLLED, tamper: true, powerFailure: false });
    r.bus.emit('tampered', { address: POLLED, reason: 'bad MAC' });
    r.bus.takeOffline(POLLED);
    expect(r.seen).toEqual([]);
  });

  it('online and offline follow the badge reader on the bus', () => {
    const r = rig();
    expect(r.reader.isOnline).toBe(false);
    r.bus.bringOnline(BADGE);
    expect(r.reader.isOnline).toBe(true);
    r.bus.takeOffline(BADGE, 'no valid reply for 8 s');
    expect(r.reader.isOnline).toBe(false);
    expect(r.seen).toEqual([
      { event: 'online', value: undefined },
      { event: 'offline', value: { reason: 'no valid reply for 8 s' } },
    ]);
  });

  it('the tamper switch raises and clears; a broken Secure Channel raises', () => {
    const r = rig();
    r.bus.emit('status', { address: BADGE, tamper: false, powerFailure: false });
    r.bus.emit('status', { address: BADGE, tamper: true, powerFailure: false });
    r.bus.emit('status', { address: BADGE, tamper: true, powerFailure: true });
    r.bus.emit('status', { address: BADGE, tamper: false, powerFailure: false });
    r.bus.emit('tampered', { address: BADGE, reason: 'reply with a bad MAC' });
    expect(r.seen).toEqual([
      { event: 'tampered', value: { active: true, reason: 'tamper switch' } },
      { event: 'tampered', value: { active: false, reason: 'tamper switch' } },
      {
        event: 'tampered',
        value: { active: true, reason: 'secure channel: reply with a bad MAC' },
      },
    ]);
  });

  it("bus noise is garbled for the badge reader's address or none, not another reader's", () => {
    const r = rig();
    r.bus.emit('garbled', { reason: 'BAD_CRC' });
    r.bus.emit('garbled', { address: POLLED, reason: 'BAD_CRC' });
    r.bus.emit('garbled', { address: BADGE, reason: 'reply nobody asked for' });
    expect(r.seen.map((s) => s.value)).toEqual([
      { reason: 'BAD_CRC' },
      { reason: 'reply nobody asked for' },
    ]);
  });
});
