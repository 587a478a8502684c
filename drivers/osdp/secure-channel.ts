import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { accepted, OsdpError, refused, type Checked } from './osdp-error.js';

/**
 * The cryptography of OSDP's Secure Channel (SIA OSDP v2.2, section 5 and annex D), as pure
 * functions over 16-byte AES-128 keys. Which of them runs when, and the MAC chain, are
 * secure-session.ts's; the handshake is channel-handshake.ts's.
 *
 * - SCBK, the Secure Channel Base Key, is per reader. SCBK-D (0x30…0x3F) is the published
 *   install-mode default: anyone can derive the session keys from it.
 * - Session keys: S-ENC, S-MAC1, S-MAC2 = AES-ECB(SCBK, 01 82|01 01|01 02, the control panel's
 *   first six random bytes, eight zero bytes).
 * - Cryptograms: the reader ("client") proves it holds SCBK with AES-ECB(S-ENC, RND.A ‖ RND.B),
 *   the control panel ("server") with AES-ECB(S-ENC, RND.B ‖ RND.A), where RND.A is the control
 *   panel's 8 random bytes and RND.B the reader's.
 * - R-MAC-I, the first link of the MAC chain: AES-ECB(S-MAC2, AES-ECB(S-MAC1, server cryptogram)).
 * - The MAC of a frame: the bytes from the SOM to the end of the data, padded with 80 00… to a
 *   whole block unless they already are one, CBC-encrypted under S-MAC1 for all blocks but the
 *   last and S-MAC2 for the last, the IV being the previous MAC of the other direction. The
 *   whole 16-byte result is the next link; its first 4 bytes are sent.
 * - Data encryption: AES-CBC under S-ENC, always padded with 80 00… (a whole block is added when
 *   the data already fills one), the IV being the bitwise complement of the previous MAC of the
 *   other direction.
 */

export const BLOCK = 16;
export const RANDOM_LENGTH = 8;
export const CLIENT_UID_LENGTH = 8;

/** The install-mode default base key, "0123456789:;<=>?" in ASCII. Public: never a real key. */
export const SCBK_D: Uint8Array = Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i);

export interface SessionKeys {
  sEnc: Uint8Array;
  sMac1: Uint8Array;
  sMac2: Uint8Array;
}

const END_OF_MESSAGE = 0x80;

export function aesEcbEncrypt(key: Uint8Array, block: Uint8Array): Buffer {
  requireLength('key', key, BLOCK);
  requireLength('block', block, BLOCK);
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

function aesCbc(
  direction: 'encrypt' | 'decrypt',
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Buffer {
  const cipher =
    direction === 'encrypt'
      ? createCipheriv('aes-128-cbc', key, iv)
      : createDecipheriv('aes-128-cbc', key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** A reader's SCBK diversified from a master key and its client UID (the 8 bytes of its CCRYPT). */
export function deriveScbk(masterKey: Uint8Array, clientUid: Uint8Array): Buffer {
  requireLength('client UID', clientUid, CLIENT_UID_LENGTH);
  const block = Buffer.alloc(BLOCK);
  block.set(clientUid, 0);
  for (let i = 0; i < CLIENT_UID_LENGTH; i += 1) block[8 + i] = ~(clientUid[i] ?? 0) & 0xff;
  return aesEcbEncrypt(masterKey, block);
}

export function deriveSessionKeys(scbk: Uint8Array, cpRandom: Uint8Array): SessionKeys {
  requireLength('SCBK', scbk, BLOCK);
  requireLength('control panel random', cpRandom, RANDOM_LENGTH);
  const derive = (first: number, second: number): Buffer => {
    const block = Buffer.alloc(BLOCK);
    block[0] = first;
    block[1] = second;
    block.set(cpRandom.subarray(0, 6), 2);
    return aesEcbEncrypt(scbk, block);
  };
  return { sEnc: derive(0x01, 0x82), sMac1: derive(0x01, 0x01), sMac2: derive(0x01, 0x02) };
}

/** The reader's cryptogram (CCRYPT): proves it holds the SCBK. */
export function clientCryptogram(
  sEnc: Uint8Array,
  cpRandom: Uint8Array,
  pdRandom: Uint8Array,
): Buffer {
  return aesEcbEncrypt(sEnc, Buffer.concat([cpRandom, pdRandom]));
}

/** The control panel's cryptogram (SCRYPT): proves it holds the SCBK. */
export function serverCryptogram(
  sEnc: Uint8Array,
  cpRandom: Uint8Array,
  pdRandom: Uint8Array,
): Buffer {
  return aesEcbEncrypt(sEnc, Buffer.concat([pdRandom, cpRandom]));
}

export function initialRmac(keys: SessionKeys, serverCryptogram: Uint8Array): Buffer {
  return aesEcbEncrypt(keys.sMac2, aesEcbEncrypt(keys.sMac1, serverCryptogram));
}

/** The 16-byte MAC of `message` (the frame from the SOM to the end of its data), chained on `iv`. */
export function computeMac(keys: SessionKeys, iv: Uint8Array, message: Uint8Array): Buffer {
  requireLength('MAC IV', iv, BLOCK);
  const padded =
    message.length % BLOCK === 0 && message.length > 0 ? Buffer.from(message) : pad(message);
  const last = padded.subarray(padded.length - BLOCK);
  let chained: Uint8Array = iv;
  if (padded.length > BLOCK) {
    const leading = aesCbc('encrypt', keys.sMac1, iv, padded.subarray(0, padded.length - BLOCK));
    chained = leading.subarray(leading.length - BLOCK);
  }
  return aesCbc('encrypt', keys.sMac2, chained, last);
}

/** Encrypts a frame's data (never empty: an empty one is sent unencrypted). */
export function encryptData(sEnc: Uint8Array, previousMac: Uint8Array, data: Uint8Array): Buffer {
  return aesCbc('encrypt', sEnc, complement(previousMac), pad(data));
}

export function decryptData(
  sEnc: Uint8Array,
  previousMac: Uint8Array,
  data: Uint8Array,
): Checked<Buffer> {
  if (data.length === 0 || data.length % BLOCK !== 0) {
    return refused(
      new OsdpError(
        'BAD_ENCRYPTED_DATA',
        `encrypted data of ${data.length} bytes is not whole 16-byte blocks`,
        {
          field: 'data',
        },
      ),
    );
  }
  const plain = aesCbc('decrypt', sEnc, complement(previousMac), data);
  let end = plain.length - 1;
  while (end > 0 && plain[end] === 0x00) end -= 1;
  if (plain[end] !== END_OF_MESSAGE || plain.length - end > BLOCK) {
    return refused(
      new OsdpError('BAD_ENCRYPTED_DATA', 'decrypted data does not end with the 80 00… padding', {
        field: 'data',
      }),
    );
  }
  return accepted(plain.subarray(0, end));
}

/** Compares secrets (MACs, cryptograms) in time independent of where they differ. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function pad(data: Uint8Array): Buffer {
  const padded = Buffer.alloc((Math.floor(data.length / BLOCK) + 1) * BLOCK);
  padded.set(data, 0);
  padded[data.length] = END_OF_MESSAGE;
  return padded;
}

function complement(bytes: Uint8Array): Buffer {
  requireLength('MAC', bytes, BLOCK);
  return Buffer.from(bytes.map((b) => ~b & 0xff));
}

function requireLength(field: string, bytes: Uint8Array, length: number): void {
  if (bytes.length !== length) {
    throw new OsdpError(
      'INVALID_ARGUMENT',
      `${field} must be ${length} bytes, not ${bytes.length}`,
      {
        field,
      },
    );
  }
}
