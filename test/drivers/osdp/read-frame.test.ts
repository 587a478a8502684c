import { describe, expect, it } from 'vitest';
import { ControlPanelHandshake, ReaderHandshake } from '../../../drivers/osdp/channel-handshake.js';
import { encodeCommand } from '../../../drivers/osdp/commands.js';
import { encodeFrame, type Frame, type FrameFields } from '../../../drivers/osdp/frame.js';
import { FrameDecoder } from '../../../drivers/osdp/frame-decoder.js';
import { readCommand, readReply } from '../../../drivers/osdp/read-frame.js';
import { encodeReply } from '../../../drivers/osdp/replies.js';
import type { SecureSession } from '../../../drivers/osdp/secure-session.js';
import { bytes, unhex } from './helpers/hex.js';

const ADDRESS = 1;
const base = { address: ADDRESS, sequence: 1 as const, integrity: 'crc' as const };

function wire(raw: Uint8Array): Frame {
  const [output] = new FrameDecoder().push(raw);
  if (output?.kind !== 'frame') throw new Error('not a frame');
  return output.frame;
}

function plain(fields: Omit<FrameFields, 'address' | 'sequence' | 'integrity'>): Frame {
  return wire(encodeFrame({ ...base, ...fields }));
}

function sessions(): { cp: SecureSession; pd: SecureSession } {
  const cpSide = new ControlPanelHandshake({ key: 'default', cpRandom: new Uint8Array(8).fill(1) });
  const pdSide = new ReaderHandshake({
    installMode: true,
    clientUid: new Uint8Array(8),
    pdRandom: new Uint8Array(8).fill(2),
  });
  const step = <T>(result: { ok: true; value: T } | { ok: false; error: Error }): T => {
    if (!result.ok) throw result.error;
    return result.value;
  };
  const ccrypt = step(pdSide.answerChallenge(plain({ reply: false, ...cpSide.challenge() })));
  const scrypt = step(cpSide.acceptClientCryptogram(plain({ reply: true, ...ccrypt })));
  const rmac = step(pdSide.answerServerCryptogram(plain({ reply: false, ...scrypt })));
  const cp = step(cpSide.acceptInitialRmac(plain({ reply: true, ...rmac.reply })));
  return { cp, pd: rmac.session };
}

const CARD = encodeReply({
  kind: 'RAW',
  read: { reader: 0, format: 1, bitCount: 26, data: unhex('86 43 83 c0') },
});

describe('readReply and readCommand', () => {
  it('read a plain reply and command when no session is open', () => {
    expect(readReply(plain({ reply: true, ...CARD }))).toEqual({
      ok: true,
      value: {
        kind: 'RAW',
        read: { reader: 0, format: 1, bitCount: 26, data: bytes('86 43 83 c0') },
      },
    });
    expect(readCommand(plain({ reply: false, ...encodeCommand({ kind: 'POLL' }) }))).toEqual({
      ok: true,
      value: { kind: 'POLL' },
    });
  });

  it('refuse a frame going the wrong way', () => {
    expect(readReply(plain({ reply: false, ...encodeCommand({ kind: 'POLL' }) }))).toMatchObject({
      ok: false,
      error: { message: 'command POLL from address 1 is not a reply' },
    });
    expect(readCommand(plain({ reply: true, ...CARD }))).toMatchObject({ ok: false });
  });

  it('refuse a secured frame outside a session: nothing can check its MAC', () => {
    const { cp, pd } = sessions();
    pd.open(wire(cp.seal({ ...base, ...encodeCommand({ kind: 'POLL' }) })));
    const secured = wire(pd.seal({ ...base, ...CARD }));
    expect(readReply(secured)).toMatchObject({
      ok: false,
      error: {
        code: 'WRONG_SECURITY_BLOCK',
        message: 'reply RAW from address 1 carries security block 0x18 outside a secure session',
      },
    });
  });

  it('in a session, read only what opens: a card read in plaintext is refused, never parsed', () => {
    const { cp, pd } = sessions();
    const poll = wire(cp.seal({ ...base, ...encodeCommand({ kind: 'POLL' }) }));
    expect(readCommand(poll, pd)).toEqual({ ok: true, value: { kind: 'POLL' } });
    expect(readReply(plain({ reply: true, ...CARD }), cp)).toMatchObject({
      ok: false,
      error: { code: 'NOT_SECURED' },
    });
    expect(readReply(wire(pd.seal({ ...base, ...CARD })), cp)).toMatchObject({
      ok: true,
      value: { kind: 'RAW', read: { bitCount: 26 } },
    });
  });
});
