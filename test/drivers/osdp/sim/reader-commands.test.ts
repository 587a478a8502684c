import { describe, expect, it } from 'vitest';
import { encodeCommand, type Command } from '../../../../drivers/osdp/commands.js';
import { encodeFrame } from '../../../../drivers/osdp/frame.js';
import { summariseCapabilities } from '../../../../drivers/osdp/replies.js';
import { decodeCard } from '../../../../drivers/osdp/wiegand.js';
import {
  SimulatedOsdpReader,
  type SimulatedReaderOptions,
} from '../../../../drivers/osdp/sim/index.js';
import { bytes, hex } from '../helpers/hex.js';
import { TestControlPanel } from './helpers/control-panel.js';
import { FakeTimers } from '../../gpio/fake-timers.js';

function setUp(options: Partial<SimulatedReaderOptions> = {}) {
  const clock = new FakeTimers();
  const reader = new SimulatedOsdpReader({ address: 0, clock, ...options });
  const cp = new TestControlPanel(reader, options.address ?? 0);
  return { clock, reader, cp };
}

const dark = { control: 0, onTime: 0, offTime: 0, onColor: 0, offColor: 0 };

describe('a simulated reader answers each command byte for byte', () => {
  it('plain replies with a CRC, the 0xFF mark first, its address with the reply bit', () => {
    const { cp } = setUp();
    const replies = (
      [
        ['POLL', 'ff 53 80 08 00 04 40 59 ac'],
        // PDID: vendor 0A 4B 57, model 1, version 1, serial 1 (LE), firmware 1.0.0.
        ['ID', 'ff 53 80 14 00 05 45 0a 4b 57 01 01 01 00 00 00 01 00 00 94 6a'],
        [
          'CAP',
          'ff 53 80 23 00 06 46 02 01 01 03 01 00 04 04 01 05 02 01 06 01 01 08 01 00 09 01 01 0a 00 01 10 02 00 d4 91',
        ],
        ['LSTAT', 'ff 53 80 0a 00 07 48 00 00 f2 2a'],
        ['ISTAT', 'ff 53 80 08 00 05 49 41 0e'],
        ['OSTAT', 'ff 53 80 09 00 06 4a 00 9c 06'],
        ['RSTAT', 'ff 53 80 09 00 07 4b 00 9d 02'],
      ] as const
    ).map(([kind, expected]) => [kind, hex(cp.command({ kind }).bytes), expected]);
    for (const [kind, got, expected] of replies)
      expect(`${kind}: ${got}`).toBe(`${kind}: ${expected}`);
  });

  it('PDCAP says what it is: CRC, AES-128 with the default key still in, a 256-byte buffer', () => {
    const { cp } = setUp();
    cp.command({ kind: 'POLL' });
    const cap = cp.ask({ kind: 'CAP' });
    expect(
      cap.ok && cap.value.kind === 'PDCAP' && summariseCapabilities(cap.value.capabilities),
    ).toEqual({
      crc: true,
      secureChannel: true,
      defaultKey: true,
      receiveBufferSize: 256,
    });
  });

  it('a reader without Secure Channel says so, and one with its own key has no default-key flag', () => {
    const plain = setUp({ secureChannel: false });
    plain.cp.command({ kind: 'POLL' });
    const cap = plain.cp.ask({ kind: 'CAP' });
    expect(
      cap.ok && cap.value.kind === 'PDCAP' && summariseCapabilities(cap.value.capabilities),
    ).toMatchObject({
      secureChannel: false,
      defaultKey: false,
    });
    const keyed = setUp({ scbk: new Uint8Array(16).fill(7) });
    keyed.cp.command({ kind: 'POLL' });
    const keyedCap = keyed.cp.ask({ kind: 'CAP' });
    expect(
      keyedCap.ok &&
        keyedCap.value.kind === 'PDCAP' &&
        summariseCapabilities(keyedCap.value.capabilities),
    ).toMatchObject({ secureChannel: true, defaultKey: false });
  });

  it('answers in the check mode the command used: checksum for checksum', () => {
    const { reader } = setUp();
    const cp = new TestControlPanel(reader, 0, 'checksum');
    // 53 80 07 00 00 40 add up to 0x11A: the checksum is 0x100 - 0x1A = 0xE6.
    expect(hex(cp.command({ kind: 'POLL' }).bytes)).toBe('ff 53 80 07 00 00 40 e6');
  });

  it('answers the broadcast address from 0x7F, as the specification says', () => {
    const { cp } = setUp({ address: 5 });
    const sent = cp.command({ kind: 'POLL' }, undefined, 0x7f);
    expect(hex(sent.bytes.subarray(0, 2))).toBe('ff 53');
    expect(sent.bytes[2]).toBe(0xff);
    expect(sent.frames[0]?.address).toBe(0x7f);
  });

  it('stays silent for another address, for replies, and for a frame whose CRC fails', () => {
    const { cp } = setUp({ address: 5 });
    expect(cp.send(cp.frame({ kind: 'POLL' }, undefined, 6)).bytes.length).toBe(0);
    const reply = encodeFrame({
      address: 5,
      reply: true,
      sequence: 0,
      integrity: 'crc',
      code: 0x40,
      data: new Uint8Array(0),
    });
    expect(cp.send(reply).bytes.length).toBe(0);
    const broken = cp.frame({ kind: 'POLL' });
    broken[broken.length - 1] = (broken[broken.length - 1] ?? 0) ^ 0xff;
    expect(cp.send(broken).bytes.length).toBe(0);
    // Still listening: the same command, intact, is answered.
    expect(cp.command({ kind: 'POLL' }).frames[0]?.code).toBe(0x40);
  });
});

describe('what a person does at the reader reaches the next poll', () => {
  it('a card read is the reply to the next POLL only, once', () => {
    const { cp, reader } = setUp();
    cp.command({ kind: 'POLL' });
    reader.presentCard({ format: 'H10301', facility: 12, card: 34567 });
    const status = cp.ask({ kind: 'LSTAT' });
    expect(status.ok && status.value.kind).toBe('LSTATR');
    const sent = cp.command({ kind: 'POLL' });
    expect(hex(sent.bytes)).toBe('ff 53 80 10 00 06 50 00 01 1a 00 86 43 83 c0 b5 fa');
    const frame = sent.frames[0];
    const card = frame && decodeCard(26, frame.data.subarray(4));
    expect(card?.ok && card.value).toEqual({
      kind: 'wiegand',
      format: 'H10301',
      facility: 12,
      card: 34567,
    });
    expect(cp.ask({ kind: 'POLL' })).toEqual({ ok: true, value: { kind: 'ACK' } });
  });

  it('raw bits go out as given, Wiegand or unspecified format', () => {
    const { cp, reader } = setUp();
    cp.command({ kind: 'POLL' });
    reader.presentCard({ bits: '1011', format: 'raw' });
    const read = cp.ask({ kind: 'POLL' });
    expect(read.ok && read.value).toEqual({
      kind: 'RAW',
      read: { reader: 0, format: 0, bitCount: 4, data: bytes('b0') },
    });
    expect(() => reader.presentCard({ bits: '10x1' })).toThrow(/bits/);
    // From a caller without types (a simulator page): refused, naming the field, nothing queued.
    const card = JSON.parse('{"format":"H99999","facility":1,"card":1}') as {
      format: 'H10301';
      facility: number;
      card: number;
    };
    expect(() => reader.presentCard(card)).toThrow(/format/);
    expect(() => reader.presentCard({ format: 'H10301', facility: 256, card: 1 })).toThrow(
      /facility/,
    );
    expect(reader.pendingEvents).toBe(0);
  });

  it('keys typed come back as one KEYPAD reply, # as 0D', () => {
    const { cp, reader } = setUp();
    cp.command({ kind: 'POLL' });
    reader.typeKeys('1234#');
    expect(hex(cp.command({ kind: 'POLL' }).bytes)).toBe(
      'ff 53 80 0f 00 05 53 00 05 31 32 33 34 0d 7b 38',
    );
    expect(() => reader.typeKeys('12x')).toThrow(/key/);
  });

  it('events wait in order, one per poll: card, keys, tamper', () => {
    const { cp, reader } = setUp();
    cp.command({ kind: 'POLL' });
    reader.presentCard({ format: 'H10301', facility: 1, card: 2 });
    reader.typeKeys('9');
    reader.setTamper(true);
    const kinds = [1, 2, 3, 4].map(() => {
      const reply = cp.ask({ kind: 'POLL' });
      return reply.ok ? reply.value.kind : reply.error.code;
    });
    expect(kinds).toEqual(['RAW', 'KEYPAD', 'LSTATR', 'ACK']);
    expect(cp.ask({ kind: 'LSTAT' })).toEqual({
      ok: true,
      value: { kind: 'LSTATR', tamper: true, powerFailure: false },
    });
    expect(cp.ask({ kind: 'RSTAT' })).toEqual({
      ok: true,
      value: { kind: 'RSTATR', readers: ['tamper'] },
    });
  });

  it('inputs read back through ISTAT', () => {
    const { cp, reader } = setUp({ inputs: 2 });
    cp.command({ kind: 'POLL' });
    reader.setInput(1, true);
    expect(cp.ask({ kind: 'ISTAT' })).toEqual({
      ok: true,
      value: { kind: 'ISTATR', inputs: [false, true] },
    });
    expect(() => reader.setInput(2, true)).toThrow(/input/);
  });
});

describe('LED, buzzer, text and outputs: ACK, and the reader shows them', () => {
  it('a permanent colour, a temporary one over it until its timer ends, and flashing', () => {
    const { cp, reader, clock } = setUp();
    cp.command({ kind: 'POLL' });
    const led = (temporary: object, permanent: object): Command => ({
      kind: 'LED',
      leds: [
        {
          reader: 0,
          led: 0,
          temporary: { ...dark, timer: 0, ...temporary },
          permanent: { ...dark, ...permanent },
        },
      ],
    });
    expect(cp.ask(led({}, { control: 1, onTime: 1, onColor: 2 }))).toEqual({
      ok: true,
      value: { kind: 'ACK' },
    });
    expect(reader.led().color).toBe('green');
    cp.ask(led({ control: 2, onTime: 1, onColor: 1, timer: 20 }, {}));
    expect(reader.led()).toMatchObject({ color: 'red', temporary: true });
    clock.advance(2000);
    expect(reader.led()).toMatchObject({ color: 'green', temporary: false });
    cp.ask(led({}, { control: 1, onTime: 2, offTime: 3, onColor: 3, offColor: 0 }));
    const seen = [0, 100, 200, 300, 400, 500].map((step) => {
      if (step > 0) clock.advance(100);
      return reader.led().color;
    });
    expect(seen).toEqual(['amber', 'amber', 'black', 'black', 'black', 'amber']);
  });

  it('an LED it does not have: NAK 9 (unable to process), and nothing changes', () => {
    const { cp, reader } = setUp({ leds: 1 });
    cp.command({ kind: 'POLL' });
    const reply = cp.ask({
      kind: 'LED',
      leds: [
        {
          reader: 0,
          led: 0,
          temporary: { ...dark, timer: 0 },
          permanent: { ...dark, control: 1, onTime: 1, onColor: 2 },
        },
        {
          reader: 0,
          led: 3,
          temporary: { ...dark, timer: 0 },
          permanent: { ...dark, control: 1, onTime: 1, onColor: 1 },
        },
      ],
    });
    expect(reply.ok && reply.value.kind === 'NAK' && reply.value.reasonCode).toBe(9);
    expect(reader.led().color).toBe('black');
  });

  it('the buzzer beeps its count, the text shows, an output pulses', () => {
    const { cp, reader, clock } = setUp();
    cp.command({ kind: 'POLL' });
    cp.ask({ kind: 'BUZ', buzzer: { reader: 0, tone: 2, onTime: 2, offTime: 2, count: 2 } });
    expect(reader.buzzer()).toEqual({ active: true, onTime: 2, offTime: 2, count: 2 });
    clock.advance(800);
    expect(reader.buzzer().active).toBe(false);
    cp.ask({
      kind: 'TEXT',
      text: { reader: 0, mode: 1, seconds: 0, row: 1, column: 1, text: 'Take key 4' },
    });
    expect(reader.text()).toEqual({ text: 'Take key 4', row: 1, column: 1, temporary: false });
    cp.ask({ kind: 'OUT', outputs: [{ output: 0, action: 5, timer: 10 }] });
    expect(reader.outputs()).toEqual([true]);
    expect(cp.ask({ kind: 'OSTAT' })).toEqual({
      ok: true,
      value: { kind: 'OSTATR', outputs: [true] },
    });
    clock.advance(1000);
    expect(reader.outputs()).toEqual([false]);
  });
});

describe('refusals name the reason the specification gives', () => {
  const nakOf = (cp: TestControlPanel, code: number, data: string) => {
    const frame = encodeFrame({
      address: 0,
      reply: false,
      sequence: cp.sequence,
      integrity: 'crc',
      code,
      data: bytes(data),
    });
    cp.sequence = cp.sequence === 3 ? 1 : ((cp.sequence + 1) as 1 | 2 | 3);
    const sent = cp.send(frame);
    return sent.frames[0]?.code === 0x41 ? sent.frames[0].data[0] : undefined;
  };

  it('unknown command 3, wrong length 2, values it cannot carry out 9', () => {
    const { cp } = setUp();
    cp.command({ kind: 'POLL' });
    expect(nakOf(cp, 0x63, '')).toBe(3); // osdp_DIAG: not a command this reader knows
    expect(nakOf(cp, 0x60, '00')).toBe(2); // POLL has no data
    expect(nakOf(cp, 0x61, '01')).toBe(9); // ID asks for a reply type OSDP does not define
    expect(nakOf(cp, 0x6e, '05 00 e1 00')).toBe(2); // COMSET one byte short
    expect(nakOf(cp, 0x6e, '05 01 00 00 00')).toBe(9); // COMSET to 1 baud
  });

  it('KEYSET outside a secure session: NAK 6, as real readers do (libosdp #106)', () => {
    const { cp, reader } = setUp();
    cp.command({ kind: 'POLL' });
    const reply = cp.ask({ kind: 'KEYSET', keyType: 1, key: new Uint8Array(16).fill(9) });
    expect(reply.ok && reply.value.kind === 'NAK' && reply.value.reasonCode).toBe(6);
    expect(reader.installMode).toBe(true);
  });

  it('a security block from a reader without Secure Channel: NAK 5', () => {
    const { cp } = setUp({ secureChannel: false });
    cp.command({ kind: 'POLL' });
    const frame = encodeFrame({
      address: 0,
      reply: false,
      sequence: cp.sequence,
      integrity: 'crc',
      security: { type: 0x11, data: bytes('00') },
      ...encodeCommand({ kind: 'CHLNG', cpRandom: new Uint8Array(8) }),
    });
    expect(cp.send(frame).frames[0]?.data).toEqual(bytes('05'));
  });
});

describe('COMSET', () => {
  it('answers COM with the new settings from the old address, then moves', () => {
    const { cp, reader } = setUp({ address: 3 });
    const changes: unknown[] = [];
    reader.on('comset', (change) => changes.push(change));
    cp.command({ kind: 'POLL' });
    const sent = cp.command({ kind: 'COMSET', address: 9, baudRate: 115200 });
    expect(sent.frames[0]?.address).toBe(3);
    expect(hex(sent.frames[0]?.data ?? new Uint8Array())).toBe('09 00 c2 01 00');
    expect(changes).toEqual([{ address: 9, baudRate: 115200 }]);
    expect([reader.address, reader.baudRate]).toEqual([9, 115200]);
    const stale = cp.frame({ kind: 'POLL' });
    expect(cp.send(stale).bytes.length).toBe(0);
    // At the new address, the sequence goes on, or starts over with 0: both are answered.
    cp.address = 9;
    expect(cp.command({ kind: 'POLL' }).frames[0]?.address).toBe(9);
    cp.sequence = 0;
    expect(cp.command({ kind: 'POLL' }).frames[0]?.code).toBe(0x40);
  });
});

describe('power', () => {
  it('off: silent; on again: dark, its events gone, the conversation must start over', () => {
    const { cp, reader } = setUp();
    cp.command({ kind: 'POLL' });
    cp.ask({
      kind: 'LED',
      leds: [
        {
          reader: 0,
          led: 0,
          temporary: { ...dark, timer: 0 },
          permanent: { ...dark, control: 1, onTime: 1, onColor: 2 },
        },
      ],
    });
    reader.presentCard({ format: 'H10301', facility: 1, card: 1 });
    reader.powerOff();
    expect(cp.command({ kind: 'POLL' }).bytes.length).toBe(0);
    reader.powerOn();
    expect(reader.led().color).toBe('black');
    const stale = cp.ask({ kind: 'POLL' });
    expect(stale.ok && stale.value.kind === 'NAK' && stale.value.reasonCode).toBe(4);
    cp.sequence = 0;
    expect(cp.ask({ kind: 'POLL' })).toEqual({ ok: true, value: { kind: 'ACK' } });
  });
});
