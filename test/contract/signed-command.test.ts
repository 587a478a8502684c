import { generateKeyPairSync } from 'node:crypto';
import { expect, it } from 'vitest';
import {
  signCommand,
  verifyCommandSignature,
  type UnsignedCommand,
} from '../../src/contract/signed-command.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const command: UnsignedCommand = {
  id: '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b',
  name: 'release',
  cabinetId: 'cab-1',
  issuedAt: '2026-11-24T09:00:00.000Z',
  expiresAt: '2026-11-24T09:05:00.000Z',
  keyId: 'central-1',
  counter: 7,
  args: { slot: 3, holderId: 12 },
};

it('verifies a command signed with the matching key, whatever the key order of the JSON', () => {
  const signed = signCommand(command, privateKey);
  const reordered = JSON.parse(
    JSON.stringify({ signature: signed.signature, ...command, args: { holderId: 12, slot: 3 } }),
  ) as typeof signed;
  expect(verifyCommandSignature(reordered, publicKey)).toBe(true);
});

it('refuses a modified command, another key, and a garbage signature', () => {
  const signed = signCommand(command, privateKey);
  expect(verifyCommandSignature({ ...signed, args: { slot: 4, holderId: 12 } }, publicKey)).toBe(
    false,
  );
  expect(verifyCommandSignature({ ...signed, cabinetId: 'cab-2' }, publicKey)).toBe(false);
  expect(verifyCommandSignature({ ...signed, counter: 8 }, publicKey)).toBe(false);
  expect(verifyCommandSignature(signed, other.publicKey)).toBe(false);
  expect(verifyCommandSignature({ ...signed, signature: 'not base64!' }, publicKey)).toBe(false);
});
