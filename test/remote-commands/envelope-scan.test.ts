import { createPublicKey } from 'node:crypto';
import { expect, it } from 'vitest';
import { scanEnvelope } from '../../src/remote-commands/envelope-scan.js';
import { verifyCommand } from '../../src/remote-commands/verify-command.js';
import { TestSigner } from '../support/command-signer.js';

const scan = (text: string) => scanEnvelope(Buffer.from(text, 'utf8'));

it('reads the top-level scalars as JSON.parse does, and stands in for nested values', () => {
  const command = {
    id: 'a "quoted" \\ id}',
    name: 'sync',
    counter: 12,
    expired: false,
    nothing: null,
    args: { holders: [{ name: 'x"}]', note: '\\' }], deep: [[[{}]]] },
    list: [1, '"]', { a: '}' }],
    signature: 'c2ln',
  };
  for (const text of [JSON.stringify(command), JSON.stringify(command, null, 2)]) {
    expect(scan(text)).toEqual({ ...command, args: {}, list: [] });
  }
  expect(scan(' { } ')).toEqual({});
  expect(scan('{"a":"\\u00e9\\"","a":2}')).toEqual({ a: 2 });
});

it('refuses what is not one JSON object', () => {
  for (const text of [
    '',
    '[]',
    '"x"',
    '{"a":1',
    '{"a":1}}',
    '{"a":1} x',
    '{"a" 1}',
    '{a:1}',
    '{"a":1,}',
    '{"a":{"b":[1,2}',
    '{"a":"unterminated}',
    '{"a":tru}',
    '{"a":1 2}',
  ]) {
    expect(scan(text), text).toBeUndefined();
  }
});

it('a genuine sync larger than 64 KiB still verifies: the scan only decides what is refused early', () => {
  const signer = new TestSigner();
  const holders = Array.from({ length: 4_000 }, (_, i) => ({ id: i + 1, name: `Holder ${i + 1}` }));
  const command = signer.sign('sync', { version: 2, holders, credentials: [], keys: [] });
  const payload = Buffer.from(JSON.stringify(command));
  expect(payload.length).toBeGreaterThan(64 * 1024);
  const verified = verifyCommand('sync', payload, {
    cabinetId: 'test-cab',
    keys: new Map([[signer.keyId, createPublicKey(signer.publicKeyPem)]]),
    nowMs: Date.now(),
    maxSkewMs: 300_000,
    maxValidityMs: 600_000,
    slotCount: 12,
    history: { lastCounter: () => 0, wasExecuted: () => false },
  });
  expect(verified.ok).toBe(true);
});
