import { createPublicKey } from 'node:crypto';
import { expect, it } from 'vitest';
import type { CommandName, SignedCommand } from '../../src/contract/signed-command.js';
import { verifyCommand, type VerifyContext } from '../../src/remote-commands/verify-command.js';
import { TestSigner } from '../support/command-signer.js';

const signer = new TestSigner();
const ctx: VerifyContext = {
  cabinetId: 'test-cab',
  keys: new Map([[signer.keyId, createPublicKey(signer.publicKeyPem)]]),
  nowMs: Date.now(),
  maxSkewMs: 300_000,
  maxValidityMs: 600_000,
  slotCount: 12,
  history: { lastCounter: () => 50, wasExecuted: (id) => id === 'seen' },
};

const reason = (command: object, topicName = (command as SignedCommand).name) => {
  const verified = verifyCommand(topicName, Buffer.from(JSON.stringify(command)), ctx);
  return verified.ok ? 'ok' : verified.rejection.reason;
};
const past = new Date(Date.now() - 60_000).toISOString();

it('each check runs only once the ones before it passed', () => {
  const { signature: _none, ...unsigned } = signer.sign('ping', {}, { counter: 60 });
  expect(reason({ ...signer.sign('nope' as CommandName), cabinetId: 'x' }, 'ping')).toBe(
    'unknown_command',
  );
  expect(reason({ ...unsigned, cabinetId: 'other-cab' })).toBe('wrong_cabinet');
  expect(reason({ ...unsigned, keyId: 'nobody' })).toBe('unsigned');
  // The time checks need no cryptography: an out-of-date command, signed or not, is refused
  // before its signature is verified.
  expect(reason({ ...unsigned, signature: 'AAAA', expiresAt: past })).toBe('expired');
  const later = new Date(Date.now() + 120_000).toISOString();
  expect(reason({ ...signer.sign('ping', {}, { counter: 60 }), expiresAt: later })).toBe(
    'bad_signature',
  );
  expect(reason(signer.sign('ping', {}, { counter: 1, expiresAt: past }))).toBe('expired');
  expect(reason(signer.sign('release', { slot: 99 }, { id: 'seen', counter: 60 }))).toBe(
    'replayed',
  );
  expect(reason(signer.sign('release', { slot: 99 }, { counter: 10 }))).toBe('out_of_order');
  expect(reason(signer.sign('release', { slot: 99 }, { counter: 60 }))).toBe('invalid_args');
  expect(reason(signer.sign('ping', {}, { counter: 60 }))).toBe('ok');
});
