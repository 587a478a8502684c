import { createPublicKey, sign } from 'node:crypto';
import canonicalize from 'canonicalize';
import { expect, it } from 'vitest';
import { MAX_COMMAND_NESTING } from '../../src/contract/json-limits.js';
import type { CommandName } from '../../src/contract/signed-command.js';
import { verifyCommand, type VerifyContext } from '../../src/remote-commands/verify-command.js';
import { TestSigner } from '../support/command-signer.js';

/**
 * Commands signed the way an independent central server signs them: the `canonicalize` package
 * (RFC 8785) for the bytes, Ed25519 over them. `args` is spliced in as JSON text, so that values
 * no encoder could take (10,000 levels deep, a lone surrogate, 1e400) can still carry a
 * signature that is right for their bytes.
 */
const signer = new TestSigner();
const ctx: VerifyContext = {
  cabinetId: 'test-cab',
  keys: new Map([[signer.keyId, createPublicKey(signer.publicKeyPem)]]),
  nowMs: Date.now(),
  maxSkewMs: 300_000,
  maxValidityMs: 600_000,
  slotCount: 12,
  history: { lastCounter: () => 0, wasExecuted: () => false },
};

function signedWithArgs(name: CommandName, argsJson: string): Buffer {
  const unsigned = signer.unsigned(name, { placeholder: true });
  const splice = (text: string, args: string) => text.replace('{"placeholder":true}', args);
  const canonical = splice(canonicalize(unsigned)!, canonicalArgs(argsJson));
  const signature = sign(null, Buffer.from(canonical, 'utf8'), signer.privateKey);
  return Buffer.from(
    splice(JSON.stringify({ ...unsigned, signature: signature.toString('base64') }), argsJson),
  );
}

/** What the server signs for these args; as sent when even canonicalize cannot encode them. */
function canonicalArgs(argsJson: string): string {
  try {
    return canonicalize(JSON.parse(argsJson)) ?? argsJson;
  } catch {
    return argsJson;
  }
}

function verdict(name: CommandName, argsJson: string): { reason: string; message: string } {
  const verified = verifyCommand(name, signedWithArgs(name, argsJson), ctx);
  return verified.ok ? { reason: 'ok', message: '' } : verified.rejection;
}

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

it('a well-signed fraction is a wrong value (invalid_args), not a bad signature', () => {
  expect(verdict('replay', '{"fromSeq":1.5}')).toMatchObject({
    reason: 'invalid_args',
    message: 'fromSeq: must be an integer of at least 1',
  });
  expect(verdict('replay', '{"fromSeq":1e21}').reason).toBe('invalid_args');
  expect(verdict('replay', '{"fromSeq":-0.0}').reason).toBe('invalid_args');
  expect(verdict('replay', '{"fromSeq":2E0}').reason).toBe('ok');
});

it('a well-signed command nested 10,000 deep is malformed, named, before its signature', () => {
  const deep = verdict('ping', `{"x":${nested(10_000)}}`);
  expect(deep.reason).toBe('malformed');
  expect(deep.message).toMatch(/^args\.x\.a\.a.*: nested deeper than 32 levels/);
});

it('the nesting limit is exact: the command is level 1, its args level 2', () => {
  expect(MAX_COMMAND_NESTING).toBe(32);
  expect(verdict('ping', `{"x":${nested(30)}}`).reason).toBe('invalid_args');
  expect(verdict('ping', `{"x":${nested(31)}}`).reason).toBe('malformed');
});

it('values with no RFC 8785 encoding are malformed, whoever signed them', () => {
  expect(verdict('ping', '{"x":"\\ud800"}')).toMatchObject({
    reason: 'malformed',
    message: 'args.x: a string with a lone surrogate',
  });
  expect(verdict('ping', '{"\\udfff":1}').reason).toBe('malformed');
  expect(verdict('ping', '{"x":[1,1e400]}')).toMatchObject({
    reason: 'malformed',
    message: 'args.x[1]: a number out of range',
  });
});

it('a command id with a lone surrogate is not quoted back, so its refusal can be recorded', () => {
  const payload = Buffer.from(
    JSON.stringify({ ...signer.sign('ping'), id: 'a\ud800' }).replace('a\\ud800', 'a\\ud800'),
  );
  const verified = verifyCommand('ping', payload, ctx);
  expect(verified.ok ? null : verified.rejection).toMatchObject({
    reason: 'malformed',
    commandId: null,
  });
});

it('a signature that does not match its bytes is still bad_signature', () => {
  const payload = signedWithArgs('replay', '{"fromSeq":1.5}');
  const tampered = Buffer.from(payload.toString().replace('1.5', '2.5'));
  expect(verifyCommand('replay', tampered, ctx)).toMatchObject({
    ok: false,
    rejection: { reason: 'bad_signature' },
  });
});
