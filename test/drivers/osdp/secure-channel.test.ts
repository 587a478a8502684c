import { describe, expect, it } from 'vitest';
import {
  clientCryptogram,
  computeMac,
  decryptData,
  deriveScbk,
  deriveSessionKeys,
  encryptData,
  initialRmac,
  SCBK_D,
  serverCryptogram,
} from '../../../drivers/osdp/secure-channel.js';
import { isOsdpError } from '../../../drivers/osdp/osdp-error.js';
import { hex, unhex } from './helpers/hex.js';

// SIA OSDP v2.2 annex E ("Examples"): the Secure Channel vectors with SCBK-D, as libosdp's
// tests/unit-tests/test-sc-sia-vectors.c lists them. RND.A is the control panel's random
// ("ACU random"), RND.B the reader's.
const RND_A = unhex('b0 b1 b2 b3 b4 b5 b6 b7');
const RND_B = unhex('a0 a1 a2 a3 a4 a5 a6 a7');
const S_ENC = 'bf 8d c2 a8 32 9a cb 8c 67 c6 d0 cd 9a 45 16 82';
const S_MAC1 = '5e 86 c6 76 60 3b de e2 d8 be af e1 78 63 73 32';
const S_MAC2 = '6f da 86 e8 57 77 7e 81 13 20 35 75 82 39 17 2e';
const CLIENT_CRYPTOGRAM = 'fd e5 d2 f4 28 ec 16 31 24 71 ea 3c 02 bd 77 96';
const SERVER_CRYPTOGRAM = '26 d3 35 6e 07 76 2d 26 28 01 fc 8e 66 65 a8 91';
const RMAC_I = 'b2 a3 00 57 eb 98 ba 22 29 ec 1f 87 56 62 b5 24';

describe('Secure Channel against the SIA annex vectors', () => {
  const keys = deriveSessionKeys(SCBK_D, RND_A);

  it('SCBK-D is "0123456789:;<=>?"', () => {
    expect(Buffer.from(SCBK_D).toString('latin1')).toBe('0123456789:;<=>?');
  });

  it('derives S-ENC, S-MAC1 and S-MAC2 from SCBK-D and the control panel random', () => {
    expect(hex(keys.sEnc)).toBe(S_ENC);
    expect(hex(keys.sMac1)).toBe(S_MAC1);
    expect(hex(keys.sMac2)).toBe(S_MAC2);
  });

  it('computes the client (reader) and server (control panel) cryptograms', () => {
    expect(hex(clientCryptogram(keys.sEnc, RND_A, RND_B))).toBe(CLIENT_CRYPTOGRAM);
    expect(hex(serverCryptogram(keys.sEnc, RND_A, RND_B))).toBe(SERVER_CRYPTOGRAM);
  });

  it('computes R-MAC-I from the server cryptogram', () => {
    expect(hex(initialRmac(keys, unhex(SERVER_CRYPTOGRAM)))).toBe(RMAC_I);
  });

  it('uses only the first six bytes of the control panel random', () => {
    const other = deriveSessionKeys(SCBK_D, unhex('b0 b1 b2 b3 b4 b5 00 ff'));
    expect(hex(other.sEnc)).toBe(S_ENC);
  });
});

// NIST SP 800-38A F.2.1 (AES-128-CBC) and the OSDP-padded blocks derived from it, as libosdp's
// tests/unit-tests/test-sc.c uses them: with S-MAC1 = S-MAC2 = the NIST key, the MAC of whole
// blocks is the last CBC block; a shorter message is padded with 80 00… first.
const NIST_KEY = unhex('2b 7e 15 16 28 ae d2 a6 ab f7 15 88 09 cf 4f 3c');
const NIST_IV = unhex('00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f');
const NIST_PLAIN = unhex(
  '6b c1 be e2 2e 40 9f 96 e9 3d 7e 11 73 93 17 2a ae 2d 8a 57 1e 03 ac 9c 9e b7 6f ac 45 af 8e 51' +
    '30 c8 1c 46 a3 5c e4 11 e5 fb c1 19 1a 0a 52 ef f6 9f 24 45 df 4f 9b 17 ad 2b 41 7b e6 6c 37 10',
);
const NIST_KEYS = { sEnc: NIST_KEY, sMac1: NIST_KEY, sMac2: NIST_KEY };
const FIFTEEN = unhex('00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e');
const complemented = (bytes: Uint8Array) => Buffer.from(bytes.map((b) => ~b & 0xff));

describe('the MAC against NIST AES-CBC vectors', () => {
  it('of one whole block', () => {
    expect(hex(computeMac(NIST_KEYS, NIST_IV, NIST_PLAIN.subarray(0, 16)))).toBe(
      '76 49 ab ac 81 19 b2 46 ce e9 8e 9b 12 e9 19 7d',
    );
  });

  it('of four whole blocks, not padded', () => {
    expect(hex(computeMac(NIST_KEYS, NIST_IV, NIST_PLAIN))).toBe(
      '3f f1 ca a1 68 1f ac 09 12 0e ca 30 75 86 e1 a7',
    );
  });

  it('of a partial block, padded with 80', () => {
    expect(hex(computeMac(NIST_KEYS, NIST_IV, FIFTEEN))).toBe(
      'c5 31 1f 3d 23 d0 86 ea 86 f5 ee 7f 85 24 7b 40',
    );
  });

  it('uses S-MAC1 for the leading blocks and S-MAC2 for the last', () => {
    const other = unhex('00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff');
    const mac = hex(computeMac({ ...NIST_KEYS, sMac2: other }, NIST_IV, NIST_PLAIN));
    expect(mac).not.toBe('3f f1 ca a1 68 1f ac 09 12 0e ca 30 75 86 e1 a7');
    expect(
      hex(computeMac({ ...NIST_KEYS, sMac1: other }, NIST_IV, NIST_PLAIN.subarray(0, 16))),
    ).toBe('76 49 ab ac 81 19 b2 46 ce e9 8e 9b 12 e9 19 7d');
  });
});

describe('data encryption against NIST-derived vectors', () => {
  // The IV is the complement of the previous MAC: so a "previous MAC" of ~IV gives the NIST IV.
  const previousMac = complemented(NIST_IV);

  it('pads 15 bytes to one block', () => {
    expect(hex(encryptData(NIST_KEY, previousMac, FIFTEEN))).toBe(
      'c5 31 1f 3d 23 d0 86 ea 86 f5 ee 7f 85 24 7b 40',
    );
  });

  it('pads 16 bytes to two blocks', () => {
    expect(
      hex(
        encryptData(
          NIST_KEY,
          previousMac,
          unhex('00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f'),
        ),
      ),
    ).toBe(
      '7d f7 6b 0c 1a b8 99 b3 3e 42 f0 47 b9 1b 54 6f e2 fe 5b d6 c1 df cd d1 91 24 f0 3e 1a 13 4d 3b',
    );
  });

  it('decrypts them back', () => {
    const opened = decryptData(
      NIST_KEY,
      previousMac,
      unhex('c5 31 1f 3d 23 d0 86 ea 86 f5 ee 7f 85 24 7b 40'),
    );
    expect(opened.ok && hex(opened.value)).toBe(hex(FIFTEEN));
  });
});

describe('the MAC', () => {
  const keys = deriveSessionKeys(SCBK_D, RND_A);
  const iv = unhex(RMAC_I);

  it('changes with every byte of the message and with the IV', () => {
    const message = unhex('53 00 1c 00 0e 02 17 75 01 10 00 01 02 03 04 05 06 07 08 09');
    const mac = hex(computeMac(keys, iv, message));
    const flipped = Buffer.from(message);
    flipped[19] = (flipped[19] ?? 0) ^ 1;
    expect(hex(computeMac(keys, iv, flipped))).not.toBe(mac);
    const otherIv = Buffer.from(iv);
    otherIv[0] = (otherIv[0] ?? 0) ^ 1;
    expect(hex(computeMac(keys, otherIv, message))).not.toBe(mac);
  });
});

describe('data encryption', () => {
  const keys = deriveSessionKeys(SCBK_D, RND_A);
  const mac = unhex(RMAC_I);

  it('pads with 80 00… to whole blocks, a whole extra block when the data fills one', () => {
    expect(encryptData(keys.sEnc, mac, unhex('01')).length).toBe(16);
    expect(encryptData(keys.sEnc, mac, new Uint8Array(15)).length).toBe(16);
    expect(encryptData(keys.sEnc, mac, new Uint8Array(16)).length).toBe(32);
  });

  it('round-trips, data ending in zeros and in 0x80 included', () => {
    for (const data of ['00', '80', '01 02 00 00', '80 00 80', '00 '.repeat(16).trim()]) {
      const sealed = encryptData(keys.sEnc, mac, unhex(data));
      const opened = decryptData(keys.sEnc, mac, sealed);
      expect(opened.ok && hex(opened.value)).toBe(data);
    }
  });

  it('uses the complement of the previous MAC as IV', () => {
    const sealed = encryptData(keys.sEnc, mac, unhex('01 02 03'));
    const otherMac = Buffer.from(mac);
    otherMac[0] = (otherMac[0] ?? 0) ^ 1;
    const opened = decryptData(keys.sEnc, otherMac, sealed);
    // The first block decrypts to different bytes: the padding check may or may not see it,
    // but the data cannot be the same.
    expect(opened.ok && hex(opened.value)).not.toBe('01 02 03');
  });

  it('refuses data that is not whole blocks or lacks the padding', () => {
    const short = decryptData(keys.sEnc, mac, new Uint8Array(15));
    expect(!short.ok && isOsdpError(short.error, 'BAD_ENCRYPTED_DATA')).toBe(true);
    const empty = decryptData(keys.sEnc, mac, new Uint8Array(0));
    expect(!empty.ok && empty.error.code).toBe('BAD_ENCRYPTED_DATA');
    // Random ciphertext: a 1 in 256 chance of a plausible padding per try; this block is fixed.
    const noPadding = encryptData(keys.sEnc, mac, new Uint8Array(15).fill(0x11)).subarray(0, 16);
    const tampered = Buffer.from(noPadding);
    tampered[15] = (tampered[15] ?? 0) ^ 0x55;
    const opened = decryptData(keys.sEnc, mac, tampered);
    expect(opened.ok).toBe(false);
  });
});

describe('SCBK diversification', () => {
  it('encrypts the client UID followed by its complement under the master key', () => {
    const master = unhex('00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f');
    const uid = unhex('11 22 33 44 55 66 77 88');
    const scbk = deriveScbk(master, uid);
    expect(scbk.length).toBe(16);
    expect(hex(scbk)).not.toBe(hex(deriveScbk(master, unhex('11 22 33 44 55 66 77 89'))));
  });

  it('refuses keys and UIDs of the wrong size as a programming error', () => {
    expect(() => deriveSessionKeys(new Uint8Array(15), RND_A)).toThrow(/SCBK must be 16 bytes/);
    expect(() => deriveScbk(SCBK_D, new Uint8Array(7))).toThrow(/client UID/);
  });
});
