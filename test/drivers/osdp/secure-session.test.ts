import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ControlPanelHandshake,
  ReaderHandshake,
  type HandshakeBody,
} from '../../../drivers/osdp/channel-handshake.js';
import { encodeFrame, type Frame, type Sequence } from '../../../drivers/osdp/frame.js';
import { FrameDecoder } from '../../../drivers/osdp/frame-decoder.js';
import { decodeReply, encodeReply } from '../../../drivers/osdp/replies.js';
import {
  computeMac,
  deriveScbk,
  deriveSessionKeys,
  SCBK_D,
} from '../../../drivers/osdp/secure-channel.js';
import type { SecureSession } from '../../../drivers/osdp/secure-session.js';
import { hex, unhex } from './helpers/hex.js';

const RND_A = unhex('b0 b1 b2 b3 b4 b5 b6 b7');
const RND_B = unhex('a0 a1 a2 a3 a4 a5 a6 a7');
const CLIENT_UID = unhex('00 06 8e 01 02 03 04 05');
const OWN_KEY = unhex('f0 e1 d2 c3 b4 a5 96 87 78 69 5a 4b 3c 2d 1e 0f');
const ADDRESS = 3;

/** Frame bytes as the other side receives them: through a decoder, as off the bus. */
function wire(bytes: Uint8Array): Frame {
  const outputs = new FrameDecoder().push(bytes);
  const [first] = outputs;
  if (outputs.length !== 1 || first?.kind !== 'frame')
    throw new Error(`not one frame: ${hex(bytes)}`);
  return first.frame;
}

function handshakeFrame(body: HandshakeBody, reply: boolean, sequence: Sequence): Frame {
  return wire(encodeFrame({ address: ADDRESS, reply, sequence, integrity: 'crc', ...body }));
}

function establish(
  options: { cpKey?: 'default' | Uint8Array; readerKey?: Uint8Array; installMode?: boolean } = {},
): { cp: SecureSession; pd: SecureSession } {
  const cpSide = new ControlPanelHandshake({ key: options.cpKey ?? 'default', cpRandom: RND_A });
  const pdSide = new ReaderHandshake({
    installMode: options.installMode ?? true,
    clientUid: CLIENT_UID,
    pdRandom: RND_B,
    ...(options.readerKey === undefined ? {} : { scbk: options.readerKey }),
  });
  const ccrypt = pdSide.answerChallenge(handshakeFrame(cpSide.challenge(), false, 1));
  if (!ccrypt.ok) throw ccrypt.error;
  const scrypt = cpSide.acceptClientCryptogram(handshakeFrame(ccrypt.value, true, 1));
  if (!scrypt.ok) throw scrypt.error;
  const rmac = pdSide.answerServerCryptogram(handshakeFrame(scrypt.value, false, 2));
  if (!rmac.ok) throw rmac.error;
  const cp = cpSide.acceptInitialRmac(handshakeFrame(rmac.value.reply, true, 2));
  if (!cp.ok) throw cp.error;
  return { cp: cp.value, pd: rmac.value.session };
}

describe('the Secure Channel handshake', () => {
  it('sends the annex values: CHLNG with RND.A, CCRYPT and SCRYPT cryptograms, R-MAC-I', () => {
    const cpSide = new ControlPanelHandshake({ key: 'default', cpRandom: RND_A });
    const chlng = cpSide.challenge();
    expect([chlng.code, hex(chlng.data), chlng.security.type, hex(chlng.security.data)]).toEqual([
      0x76,
      'b0 b1 b2 b3 b4 b5 b6 b7',
      0x11,
      '00',
    ]);
    const pdSide = new ReaderHandshake({
      installMode: true,
      clientUid: CLIENT_UID,
      pdRandom: RND_B,
    });
    const ccrypt = pdSide.answerChallenge(handshakeFrame(chlng, false, 1));
    expect(ccrypt.ok && hex(ccrypt.value.data.subarray(16))).toBe(
      'fd e5 d2 f4 28 ec 16 31 24 71 ea 3c 02 bd 77 96',
    );
    if (!ccrypt.ok) return;
    const scrypt = cpSide.acceptClientCryptogram(handshakeFrame(ccrypt.value, true, 1));
    expect(
      scrypt.ok && [scrypt.value.code, hex(scrypt.value.data), scrypt.value.security.type],
    ).toEqual([0x77, '26 d3 35 6e 07 76 2d 26 28 01 fc 8e 66 65 a8 91', 0x13]);
    if (!scrypt.ok) return;
    const rmac = pdSide.answerServerCryptogram(handshakeFrame(scrypt.value, false, 2));
    expect(rmac.ok && hex(rmac.value.reply.data)).toBe(
      'b2 a3 00 57 eb 98 ba 22 29 ec 1f 87 56 62 b5 24',
    );
    if (!rmac.ok) return;
    expect(cpSide.acceptInitialRmac(handshakeFrame(rmac.value.reply, true, 2)).ok).toBe(true);
  });

  it('works with a reader own key, and with one derived from a master key and the client UID', () => {
    expect(() =>
      establish({ cpKey: OWN_KEY, readerKey: OWN_KEY, installMode: false }),
    ).not.toThrow();
    const master = unhex('00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff');
    const diversified = deriveScbk(master, CLIENT_UID);
    const cpSide = new ControlPanelHandshake({
      key: (uid) => deriveScbk(master, uid),
      cpRandom: RND_A,
    });
    const pdSide = new ReaderHandshake({
      installMode: false,
      scbk: diversified,
      clientUid: CLIENT_UID,
      pdRandom: RND_B,
    });
    const ccrypt = pdSide.answerChallenge(handshakeFrame(cpSide.challenge(), false, 1));
    expect(
      ccrypt.ok && cpSide.acceptClientCryptogram(handshakeFrame(ccrypt.value, true, 1)).ok,
    ).toBe(true);
  });

  it('the control panel refuses a reader that does not hold the key', () => {
    const cpSide = new ControlPanelHandshake({ key: OWN_KEY, cpRandom: RND_A });
    const impostor = new ReaderHandshake({
      installMode: false,
      scbk: SCBK_D,
      clientUid: CLIENT_UID,
      pdRandom: RND_B,
    });
    const ccrypt = impostor.answerChallenge(handshakeFrame(cpSide.challenge(), false, 1));
    if (!ccrypt.ok) throw ccrypt.error;
    const scrypt = cpSide.acceptClientCryptogram(handshakeFrame(ccrypt.value, true, 1));
    expect(!scrypt.ok && [scrypt.error.code, scrypt.error.message]).toEqual([
      'HANDSHAKE_FAILED',
      'handshake: reply 0x76 from address 3 carries a client cryptogram that does not match our key: wrong key, or not the reader',
    ]);
  });

  it('a reader outside install mode refuses SCBK-D', () => {
    const cpSide = new ControlPanelHandshake({ key: 'default', cpRandom: RND_A });
    const pdSide = new ReaderHandshake({
      installMode: false,
      scbk: OWN_KEY,
      clientUid: CLIENT_UID,
      pdRandom: RND_B,
    });
    const ccrypt = pdSide.answerChallenge(handshakeFrame(cpSide.challenge(), false, 1));
    expect(!ccrypt.ok && ccrypt.error.message).toMatch(/asks for SCBK-D outside install mode/);
  });

  it('the control panel refuses a wrong R-MAC-I, a refusal flag, a NAK, a plaintext CCRYPT', () => {
    const run = (tamper: (body: HandshakeBody) => HandshakeBody) => {
      const cpSide = new ControlPanelHandshake({ key: 'default', cpRandom: RND_A });
      const pdSide = new ReaderHandshake({
        installMode: true,
        clientUid: CLIENT_UID,
        pdRandom: RND_B,
      });
      const ccrypt = pdSide.answerChallenge(handshakeFrame(cpSide.challenge(), false, 1));
      if (!ccrypt.ok) throw ccrypt.error;
      const scrypt = cpSide.acceptClientCryptogram(handshakeFrame(ccrypt.value, true, 1));
      if (!scrypt.ok) throw scrypt.error;
      const rmac = pdSide.answerServerCryptogram(handshakeFrame(scrypt.value, false, 2));
      if (!rmac.ok) throw rmac.error;
      const result = cpSide.acceptInitialRmac(handshakeFrame(tamper(rmac.value.reply), true, 2));
      return result.ok ? 'accepted' : result.error.message;
    };
    expect(run((b) => b)).toBe('accepted');
    expect(
      run((b) => ({ ...b, data: Uint8Array.from(b.data, (x, i) => (i === 0 ? x ^ 1 : x)) })),
    ).toMatch(/R-MAC-I that does not match/);
    expect(run((b) => ({ ...b, security: { ...b.security, data: Uint8Array.of(0xff) } }))).toMatch(
      /refused our cryptogram/,
    );

    const cpSide = new ControlPanelHandshake({ key: 'default', cpRandom: RND_A });
    const nak = wire(
      encodeFrame({
        address: ADDRESS,
        reply: true,
        sequence: 1,
        integrity: 'crc',
        code: 0x41,
        data: unhex('05'),
      }),
    );
    expect(cpSide.acceptClientCryptogram(nak)).toMatchObject({
      ok: false,
      error: {
        message:
          'handshake: reply 0x41 from address 3 is a NAK (SECURITY_BLOCK_UNSUPPORTED) instead of CCRYPT',
      },
    });
    const plain = wire(
      encodeFrame({
        address: ADDRESS,
        reply: true,
        sequence: 1,
        integrity: 'crc',
        code: 0x76,
        data: new Uint8Array(32),
      }),
    );
    expect(cpSide.acceptClientCryptogram(plain)).toMatchObject({
      ok: false,
      error: { code: 'HANDSHAKE_FAILED' },
    });
    const early = cpSide.acceptInitialRmac(plain);
    expect(!early.ok && early.error.message).toMatch(/before a valid CCRYPT/);
  });
});

describe('a secure session', () => {
  it('carries commands and replies both ways, encrypting data and chaining MACs', () => {
    const { cp, pd } = establish();
    for (const sequence of [1, 2, 3, 1, 2] as Sequence[]) {
      const command = cp.seal({
        address: ADDRESS,
        sequence,
        integrity: 'crc',
        code: 0x60,
        data: new Uint8Array(0),
      });
      const commandFrame = wire(command);
      expect(commandFrame.security?.type).toBe(0x15);
      const opened = pd.open(commandFrame);
      expect(opened.ok && opened.value.code).toBe(0x60);

      const card = encodeReply({
        kind: 'RAW',
        read: { reader: 0, format: 1, bitCount: 26, data: unhex('86 43 83 c0') },
      });
      const reply = wire(pd.seal({ address: ADDRESS, sequence, integrity: 'crc', ...card }));
      expect(reply.security?.type).toBe(0x18);
      expect(reply.reply).toBe(true);
      // Encrypted on the wire: the card's bytes do not appear.
      expect(hex(reply.data)).not.toContain('86 43 83 c0');
      const read = cp.open(reply);
      expect(read.ok && read.value.encrypted).toBe(true);
      if (!read.ok) return;
      expect(decodeReply(read.value.code, read.value.data)).toMatchObject({
        ok: true,
        value: { kind: 'RAW', read: { bitCount: 26 } },
      });
    }
  });

  it('works in checksum mode and for data filling whole blocks', () => {
    const { cp, pd } = establish();
    const command = wire(
      cp.seal({
        address: ADDRESS,
        sequence: 1,
        integrity: 'checksum',
        code: 0x6b,
        data: new Uint8Array(16).fill(0x41),
      }),
    );
    expect(command.data.length).toBe(32);
    const opened = pd.open(command);
    expect(opened.ok && hex(opened.value.data)).toBe(hex(new Uint8Array(16).fill(0x41)));
  });

  it('resealing a command whose reply was lost gives the same bytes, and the reply still opens', () => {
    const { cp, pd } = establish();
    const fields = {
      address: ADDRESS,
      sequence: 1 as Sequence,
      integrity: 'crc' as const,
      code: 0x60,
      data: new Uint8Array(0),
    };
    const first = cp.seal(fields);
    expect(pd.open(wire(first)).ok).toBe(true);
    const reply = pd.seal({ ...fields, code: 0x40 });
    // The reply is lost: the control panel resends; the reader resends its last reply.
    expect(hex(cp.seal(fields))).toBe(hex(first));
    expect(cp.open(wire(reply)).ok).toBe(true);
  });

  it('refuses a frame whose MAC is wrong, and stays usable for the right one', () => {
    const { cp, pd } = establish();
    pd.open(
      wire(
        cp.seal({
          address: ADDRESS,
          sequence: 1,
          integrity: 'crc',
          code: 0x60,
          data: new Uint8Array(0),
        }),
      ),
    );
    const reply = pd.seal({
      address: ADDRESS,
      sequence: 1,
      integrity: 'crc',
      code: 0x53,
      data: unhex('00 05 31 32 33 34 0d'),
    });
    const forged = Buffer.from(reply);
    // Flip one bit of the encrypted data and fix the CRC up: a valid frame with a wrong MAC.
    const at = forged.length - 8;
    forged[at] = (forged[at] ?? 0) ^ 1;
    const refused = cp.open(wire(withCrc(forged)));
    expect(!refused.ok && [refused.error.code, refused.error.message]).toEqual([
      'BAD_MAC',
      'reply 0x53 from address 3 has a wrong MAC: refused, not read',
    ]);
    expect(cp.open(wire(reply)).ok).toBe(true);
  });

  it('refuses a replayed reply', () => {
    const { cp, pd } = establish();
    const poll = (sequence: Sequence) =>
      cp.seal({
        address: ADDRESS,
        sequence,
        integrity: 'crc',
        code: 0x60,
        data: new Uint8Array(0),
      });
    pd.open(wire(poll(1)));
    const card = pd.seal({
      address: ADDRESS,
      sequence: 1,
      integrity: 'crc',
      code: 0x50,
      data: unhex('00 01 1a 00 86 43 83 c0'),
    });
    expect(cp.open(wire(card)).ok).toBe(true);
    pd.open(wire(poll(2)));
    // An attacker replays the card read as the answer to the next poll (sequence rewritten).
    const replay = Buffer.from(card);
    replay[5] = (replay[5] ?? 0) ^ 0x03;
    expect(cp.open(wire(withCrc(replay)))).toMatchObject({ ok: false, error: { code: 'BAD_MAC' } });
    expect(cp.open(wire(card))).toMatchObject({ ok: false, error: { code: 'BAD_MAC' } });
  });

  it('attack: opens one reply per command sent; a copy injected before the next command is refused', () => {
    const { cp, pd } = establish();
    pd.open(
      wire(
        cp.seal({
          address: ADDRESS,
          sequence: 1,
          integrity: 'crc',
          code: 0x60,
          data: new Uint8Array(0),
        }),
      ),
    );
    const card = pd.seal({
      address: ADDRESS,
      sequence: 1,
      integrity: 'crc',
      code: 0x50,
      data: unhex('00 01 1a 00 86 43 83 c0'),
    });
    expect(cp.open(wire(card)).ok).toBe(true);
    // Someone on the bus sends the card read again at once: the same card read twice.
    const again = cp.open(wire(card));
    expect(!again.ok && [again.error.code, again.error.message]).toEqual([
      'WRONG_SECURITY_BLOCK',
      'reply 0x50 from address 3 answers nothing: the last frame sent was already answered, or none was sent yet',
    ]);
  });

  it('refuses plaintext, command blocks from a reader, and handshake blocks', () => {
    const { cp, pd } = establish();
    pd.open(
      wire(
        cp.seal({
          address: ADDRESS,
          sequence: 1,
          integrity: 'crc',
          code: 0x60,
          data: new Uint8Array(0),
        }),
      ),
    );
    const plain = wire(
      encodeFrame({
        address: ADDRESS,
        reply: true,
        sequence: 1,
        integrity: 'crc',
        code: 0x50,
        data: unhex('00 01 1a 00 86 43 83 c0'),
      }),
    );
    expect(cp.open(plain)).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_SECURED',
        message: 'reply 0x50 from address 3 has no MAC: refused in a secure session',
        details: { code: 0x50 },
      },
    });
    // A command-type block (0x15) in a frame flagged as a reply (address byte 0x83).
    const commandFromReader = wire(
      withCrc(
        Buffer.from(
          cp.seal({
            address: ADDRESS,
            sequence: 1,
            integrity: 'crc',
            code: 0x40,
            data: new Uint8Array(0),
          }),
        ).fill(0x83, 2, 3),
      ),
    );
    expect(cp.open(commandFromReader)).toMatchObject({
      ok: false,
      error: { code: 'WRONG_SECURITY_BLOCK' },
    });
    const handshake = wire(
      encodeFrame({
        address: ADDRESS,
        reply: true,
        sequence: 1,
        integrity: 'crc',
        code: 0x78,
        data: new Uint8Array(16),
        security: { type: 0x14, data: Uint8Array.of(1) },
      }),
    );
    expect(cp.open(handshake)).toMatchObject({ ok: false, error: { code: 'NOT_SECURED' } });
  });

  it('a session under another key cannot talk to this one', () => {
    const { cp } = establish();
    const other = establish({ cpKey: OWN_KEY, readerKey: OWN_KEY, installMode: false });
    const command = cp.seal({
      address: ADDRESS,
      sequence: 1,
      integrity: 'crc',
      code: 0x60,
      data: new Uint8Array(0),
    });
    expect(other.pd.open(wire(command))).toMatchObject({ ok: false, error: { code: 'BAD_MAC' } });
  });

  it('never throws on a random secured frame', () => {
    const { cp } = establish();
    cp.seal({
      address: ADDRESS,
      sequence: 1,
      integrity: 'crc',
      code: 0x60,
      data: new Uint8Array(0),
    });
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 48 }),
        fc.integer({ min: 0x15, max: 0x18 }),
        (data, type) => {
          const frame = encodeFrame(
            {
              address: ADDRESS,
              reply: true,
              sequence: 1,
              integrity: 'crc',
              code: 0x50,
              data,
              security: { type, data: new Uint8Array(0) },
            },
            { mac: () => new Uint8Array(16) },
          );
          const opened = cp.open(wire(frame));
          expect(opened.ok).toBe(false);
        },
      ),
    );
  });
});

/** `bytes` (mark byte first, as sealed) with its CRC recomputed after an edit. */
function withCrc(bytes: Buffer): Buffer {
  const frame = bytes[0] === 0xff ? bytes.subarray(1) : bytes;
  const body = frame.subarray(0, frame.length - 2);
  let crc = 0x1d0f;
  for (const byte of body) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return Buffer.concat([body, Buffer.of(crc & 0xff, crc >> 8)]);
}

describe('the reader side of the handshake', () => {
  it('refuses a CHLNG whose security block names no key', () => {
    const pdSide = new ReaderHandshake({
      installMode: true,
      clientUid: CLIENT_UID,
      pdRandom: RND_B,
    });
    const chlng = new ControlPanelHandshake({ key: 'default', cpRandom: RND_A }).challenge();
    for (const data of [new Uint8Array(0), Uint8Array.of(2)]) {
      const answer = pdSide.answerChallenge(
        handshakeFrame({ ...chlng, security: { ...chlng.security, data } }, false, 1),
      );
      expect(!answer.ok && answer.error.message).toMatch(/names no key/);
    }
  });
});

describe('the chain, recomputed from the annex keys', () => {
  const keys = deriveSessionKeys(SCBK_D, RND_A);
  const RMAC_I = unhex('b2 a3 00 57 eb 98 ba 22 29 ec 1f 87 56 62 b5 24');
  const macOf = (iv: Uint8Array, frame: Buffer) =>
    computeMac(keys, iv, frame.subarray(1, frame.length - 2 - 4));

  it('the first command MAC chains on R-MAC-I; its 4 first bytes are sent', () => {
    const { cp } = establish();
    const poll = cp.seal({
      address: ADDRESS,
      sequence: 1,
      integrity: 'crc',
      code: 0x60,
      data: new Uint8Array(0),
    });
    expect(hex(poll.subarray(poll.length - 6, poll.length - 2))).toBe(
      hex(macOf(RMAC_I, poll).subarray(0, 4)),
    );
  });

  it('a reply with a right MAC but data that does not decrypt is refused as such', () => {
    const { cp } = establish();
    const poll = cp.seal({
      address: ADDRESS,
      sequence: 1,
      integrity: 'crc',
      code: 0x60,
      data: new Uint8Array(0),
    });
    const cmac = macOf(RMAC_I, poll);
    const reply = encodeFrame(
      {
        address: ADDRESS,
        reply: true,
        sequence: 1,
        integrity: 'crc',
        code: 0x50,
        data: new Uint8Array(16).fill(0x5a),
        security: { type: 0x18, data: new Uint8Array(0) },
      },
      { mac: (covered) => computeMac(keys, cmac, covered) },
    );
    const opened = cp.open(wire(reply));
    expect(!opened.ok && opened.error.code).toBe('BAD_ENCRYPTED_DATA');
  });
});
