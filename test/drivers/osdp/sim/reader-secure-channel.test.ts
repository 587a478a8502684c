import { describe, expect, it } from 'vitest';
import { ControlPanelHandshake } from '../../../../drivers/osdp/channel-handshake.js';
import { encodeCommand } from '../../../../drivers/osdp/commands.js';
import { encodeFrame, nextSequence } from '../../../../drivers/osdp/frame.js';
import { readReply } from '../../../../drivers/osdp/read-frame.js';
import { summariseCapabilities } from '../../../../drivers/osdp/replies.js';
import { withCorruptMac } from '../../../../drivers/osdp/sim/reply-faults.js';
import {
  SimulatedOsdpReader,
  type SimulatedReaderOptions,
} from '../../../../drivers/osdp/sim/index.js';
import { bytes, hex, unhex } from '../helpers/hex.js';
import { TestControlPanel } from './helpers/control-panel.js';
import { FakeTimers } from '../../gpio/fake-timers.js';

// SIA OSDP v2.2 annex E with SCBK-D (as libosdp's tests/unit-tests/test-sc-sia-vectors.c lists
// them, and test/drivers/osdp/secure-channel.test.ts checks them against the core).
const RND_A = unhex('b0 b1 b2 b3 b4 b5 b6 b7');
const RND_B = unhex('a0 a1 a2 a3 a4 a5 a6 a7');
const CLIENT_UID = unhex('00 06 8e 01 02 03 04 05');
const CLIENT_CRYPTOGRAM = 'fd e5 d2 f4 28 ec 16 31 24 71 ea 3c 02 bd 77 96';
const RMAC_I = 'b2 a3 00 57 eb 98 ba 22 29 ec 1f 87 56 62 b5 24';
const OWN_KEY = unhex('f0 e1 d2 c3 b4 a5 96 87 78 69 5a 4b 3c 2d 1e 0f');

function setUp(options: Partial<SimulatedReaderOptions> = {}) {
  const reader = new SimulatedOsdpReader({
    address: 1,
    clientUid: CLIENT_UID,
    random: () => Uint8Array.from(RND_B),
    clock: new FakeTimers(),
    ...options,
  });
  const cp = new TestControlPanel(reader, 1);
  cp.command({ kind: 'POLL' });
  return { reader, cp };
}

const nakCode = (
  cp: TestControlPanel,
  sent: { frames: { code: number; data: Uint8Array; security?: unknown }[] },
) => {
  const frame = sent.frames[0];
  return frame?.code === 0x41 && frame.security === undefined ? frame.data[0] : undefined;
};

describe('the reader side of the Secure Channel handshake', () => {
  it('answers the annex challenge with the annex cryptogram and R-MAC-I', () => {
    const { cp, reader } = setUp();
    const handshake = new ControlPanelHandshake({ key: 'default', cpRandom: RND_A });
    const ccrypt = cp.handshakeStep(handshake.challenge());
    expect([
      ccrypt.address,
      ccrypt.reply,
      ccrypt.code,
      ccrypt.security?.type,
      hex(ccrypt.security?.data ?? new Uint8Array()),
    ]).toEqual([1, true, 0x76, 0x12, '00']);
    expect(hex(ccrypt.data)).toBe(`${hex(CLIENT_UID)} ${hex(RND_B)} ${CLIENT_CRYPTOGRAM}`);
    const scrypt = handshake.acceptClientCryptogram(ccrypt);
    if (!scrypt.ok) throw scrypt.error;
    const rmac = cp.handshakeStep(scrypt.value);
    expect([
      rmac.code,
      rmac.security?.type,
      hex(rmac.security?.data ?? new Uint8Array()),
      hex(rmac.data),
    ]).toEqual([0x78, 0x14, '01', RMAC_I]);
    const session = handshake.acceptInitialRmac(rmac);
    expect(session.ok).toBe(true);
    expect(reader.secured).toBe(true);
  });

  it('refuses the default key outside install mode, and a key it lacks, with NAK 6', () => {
    const { cp } = setUp({ scbk: OWN_KEY });
    const sent = cp.send(
      encodeFrame({
        address: 1,
        reply: false,
        sequence: cp.sequence,
        integrity: 'crc',
        ...new ControlPanelHandshake({ key: 'default', cpRandom: RND_A }).challenge(),
      }),
    );
    expect(nakCode(cp, sent)).toBe(6);
    const install = setUp();
    expect(() => install.cp.establish(OWN_KEY, RND_A)).toThrow(/NAK/);
  });

  it('refuses a wrong server cryptogram with NAK 6 and opens no session', () => {
    const { cp, reader } = setUp();
    const handshake = new ControlPanelHandshake({ key: 'default', cpRandom: RND_A });
    const ccrypt = cp.handshakeStep(handshake.challenge());
    const scrypt = handshake.acceptClientCryptogram(ccrypt);
    if (!scrypt.ok) throw scrypt.error;
    const forged = { ...scrypt.value, data: Uint8Array.from(scrypt.value.data).fill(0x42, 0, 1) };
    const answer = cp.handshakeStep(forged);
    expect([answer.code, answer.data[0]]).toEqual([0x41, 6]);
    expect(reader.secured).toBe(false);
  });
});

describe('inside a secure session', () => {
  it('every reply is MAC-chained, data encrypted: a card read opens only with the session', () => {
    const { cp, reader } = setUp();
    const session = cp.establish('default', RND_A);
    const ack = cp.command({ kind: 'POLL' }, session);
    expect(ack.frames[0]?.security?.type).toBe(0x16);
    expect(readReply(ack.frames[0]!, session)).toEqual({ ok: true, value: { kind: 'ACK' } });
    reader.presentCard({ format: 'H10301', facility: 12, card: 34567 });
    const sent = cp.command({ kind: 'POLL' }, session);
    const frame = sent.frames[0]!;
    expect(frame.security?.type).toBe(0x18);
    expect(hex(sent.bytes)).not.toContain('86 43 83 c0');
    expect(readReply(frame, session)).toEqual({
      ok: true,
      value: {
        kind: 'RAW',
        read: { reader: 0, format: 1, bitCount: 26, data: bytes('86 43 83 c0') },
      },
    });
  });

  it('a lost reply is sent again byte for byte, and the session goes on', () => {
    const { cp, reader } = setUp();
    const session = cp.establish('default', RND_A);
    reader.presentCard({ format: 'H10301', facility: 12, card: 34567 });
    const command = cp.frame({ kind: 'POLL' }, session);
    const lost = cp.send(command);
    const again = cp.send(command);
    expect(hex(again.bytes)).toBe(hex(lost.bytes));
    const read = readReply(again.frames[0]!, session);
    expect(read.ok && read.value.kind).toBe('RAW');
    cp.sequence = nextSequence(cp.sequence);
    expect(readReply(cp.command({ kind: 'POLL' }, session).frames[0]!, session)).toEqual({
      ok: true,
      value: { kind: 'ACK' },
    });
  });

  it('KEYSET is accepted, after which only the new key opens a session', () => {
    const { cp, reader } = setUp();
    const keyed: number[] = [];
    reader.on('keyed', () => keyed.push(1));
    const install = cp.establish('default', RND_A);
    const ack = cp.command({ kind: 'KEYSET', keyType: 1, key: OWN_KEY }, install);
    expect(readReply(ack.frames[0]!, install)).toEqual({ ok: true, value: { kind: 'ACK' } });
    expect([reader.installMode, keyed.length]).toEqual([false, 1]);

    expect(() => cp.establish('default', RND_A)).toThrow(/NAK/);
    expect(reader.secured).toBe(false);
    const own = cp.establish(OWN_KEY, RND_A);
    const cap = readReply(cp.command({ kind: 'CAP' }, own).frames[0]!, own);
    expect(
      cap.ok && cap.value.kind === 'PDCAP' && summariseCapabilities(cap.value.capabilities),
    ).toMatchObject({
      secureChannel: true,
      defaultKey: false,
    });
  });

  it('a plaintext command ends the session with a plaintext NAK 6', () => {
    const { cp, reader } = setUp();
    const session = cp.establish('default', RND_A);
    expect(nakCode(cp, cp.command({ kind: 'POLL' }))).toBe(6);
    expect(reader.secured).toBe(false);
    expect(nakCode(cp, cp.command({ kind: 'POLL' }, session))).toBe(6);
  });

  it('a command with a bad MAC is refused, not carried out, and the session ends', () => {
    const { cp, reader } = setUp();
    const session = cp.establish('default', RND_A);
    const forged = withCorruptMac(
      cp.frame(
        { kind: 'BUZ', buzzer: { reader: 0, tone: 2, onTime: 1, offTime: 0, count: 1 } },
        session,
      ),
    );
    expect(nakCode(cp, cp.send(forged!))).toBe(6);
    expect([reader.secured, reader.buzzer().active]).toEqual([false, false]);
  });

  it('an authentic command it cannot carry out gets a NAK inside the session', () => {
    const { cp, reader } = setUp();
    const session = cp.establish('default', RND_A);
    const sent = cp.send(
      session.seal({
        address: 1,
        sequence: cp.sequence,
        integrity: 'crc',
        code: 0x61,
        data: bytes('07'),
      }),
    );
    const reply = readReply(sent.frames[0]!, session);
    expect(reply.ok && reply.value.kind === 'NAK' && reply.value.reasonCode).toBe(9);
    expect(reader.secured).toBe(true);
  });

  it('sequence 0 starts over: the session is gone', () => {
    const { cp, reader } = setUp();
    const session = cp.establish('default', RND_A);
    cp.sequence = 0;
    expect(nakCode(cp, cp.command({ kind: 'POLL' }, session))).toBe(6);
    expect(reader.secured).toBe(false);
  });

  it('forgetSession: the next secured command gets a plaintext NAK', () => {
    const { cp, reader } = setUp();
    const session = cp.establish('default', RND_A);
    reader.forgetSession();
    const sent = cp.command({ kind: 'POLL' }, session);
    expect(sent.frames[0]?.security).toBeUndefined();
    expect(nakCode(cp, sent)).toBe(6);
  });

  it('the handshake commands without their security block: NAK 6', () => {
    const { cp } = setUp();
    const frame = encodeFrame({
      address: 1,
      reply: false,
      sequence: cp.sequence,
      integrity: 'crc',
      ...encodeCommand({ kind: 'CHLNG', cpRandom: RND_A }),
    });
    expect(nakCode(cp, cp.send(frame))).toBe(6);
  });
});
