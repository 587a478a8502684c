import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyCommand } from '../../src/remote-commands/verify-command.js';
import { validateMessage } from '../../src/contract/schemas.js';
import {
  signCommand,
  type CommandName,
  type UnsignedCommand,
} from '../../src/contract/signed-command.js';
import { validatePermissionDelta, validatePermissionSet } from '../../src/domain/permission-set.js';
import { readPrivateKey } from '../../src/reference-server/command-signer.js';

/**
 * docs/schemas/command.json against the cabinet's own intake (src/remote-commands/verify-command.ts,
 * src/domain/permission-set.ts): a command the schema accepts, the cabinet accepts, and each
 * mistake the schema refuses, the cabinet refuses too. Every command below is signed after it
 * was changed, so a refusal is the rule under test and not a broken signature.
 */
const KEY = readPrivateKey(
  join(import.meta.dirname, '..', 'fixtures', 'command-signing-test.key.pem'),
);
const NOW = Date.parse('2026-11-24T09:00:00.000Z');
const SLOTS = 12;

const base = (name: CommandName, args: Record<string, unknown>): UnsignedCommand => ({
  id: '6f1d2c8e-3b4a-4f5e-9a7b-1c2d3e4f5a6b',
  name,
  cabinetId: 'cab-1',
  issuedAt: '2026-11-24T09:00:00.000Z',
  expiresAt: '2026-11-24T09:01:00.000Z',
  keyId: 'central-1',
  counter: 1795510800000,
  args,
});

/** What the cabinet decides; undefined when it would execute the command. */
function cabinetRefusal(command: Record<string, unknown>): string | undefined {
  const verified = verifyCommand(String(command.name), Buffer.from(JSON.stringify(command)), {
    cabinetId: 'cab-1',
    keys: new Map([['central-1', createPublicKey(KEY)]]),
    nowMs: NOW,
    maxSkewMs: 60_000,
    maxValidityMs: 600_000,
    slotCount: SLOTS,
    history: { lastCounter: () => 0, wasExecuted: () => false },
  });
  return verified.ok ? undefined : `${verified.rejection.reason}: ${verified.rejection.message}`;
}

/** Signed as it stands; what canonical JSON cannot encode (a fractional number) gets a dummy. */
function signed(command: Record<string, unknown>): Record<string, unknown> {
  try {
    return { ...signCommand(command as unknown as UnsignedCommand, KEY) };
  } catch {
    return { ...command, signature: `${'A'.repeat(86)}==` };
  }
}

const VALID: Array<[string, UnsignedCommand]> = [
  ['ping', base('ping', {})],
  ['replay', base('replay', { fromSeq: 1 })],
  ['release', base('release', { slot: 12, holderId: 3 })],
  ['emergency_release', base('emergency_release', {})],
  ['emergency_release_end', base('emergency_release_end', {})],
  ['lockdown with holders', base('lockdown', { allowHolders: [1, 2] })],
  ['lockdown without', base('lockdown', {})],
  ['lockdown_end', base('lockdown_end', {})],
  ['inventory', base('inventory', {})],
  ['reconcile', base('reconcile', {})],
  ['a zone offset', { ...base('ping', {}), issuedAt: '2026-11-24T10:00:00+01:00' }],
  [
    'sync (full)',
    base('sync', { version: 1, holders: [], credentials: [], keys: [], permissions: [] }),
  ],
  ['sync (delta)', base('sync', { version: 2, baseVersion: 1, upsert: {}, remove: {} })],
];

describe('a command the schema accepts, the cabinet accepts', () => {
  it.each(VALID)('%s', (_name, command) => {
    const message = signed({ ...command });
    expect(validateMessage('command', message)).toEqual([]);
    expect(cabinetRefusal(message)).toBeUndefined();
  });
});

const edit =
  (changes: Record<string, unknown>, name: CommandName = 'ping', args = {}) =>
  (): Record<string, unknown> => ({ ...base(name, args), ...changes });
const without = (field: string) => (): Record<string, unknown> => {
  const command: Record<string, unknown> = { ...base('ping', {}) };
  delete command[field];
  return command;
};

const INVALID: Array<[string, () => Record<string, unknown>]> = [
  ...['id', 'name', 'cabinetId', 'issuedAt', 'expiresAt', 'keyId', 'counter', 'args'].map(
    (field): [string, () => Record<string, unknown>] => [`without ${field}`, without(field)],
  ),
  ['an unknown field', edit({ priority: 'high' })],
  ['an empty id', edit({ id: '' })],
  ['an id of 129 characters', edit({ id: 'x'.repeat(129) })],
  ['an unknown command', edit({ name: 'reboot' })],
  ['counter 0', edit({ counter: 0 })],
  ['a fractional counter', edit({ counter: 1.5 })],
  ['a time without a zone', edit({ issuedAt: '2026-11-24T09:00:00' })],
  ['a time without seconds', edit({ expiresAt: '2026-11-24T09:01Z' })],
  ['args not an object', edit({ args: [] })],
  ['ping with an argument', edit({}, 'ping', { verbose: true })],
  ['replay without fromSeq', edit({}, 'replay', {})],
  ['replay from 0', edit({}, 'replay', { fromSeq: 0 })],
  ['release without holderId', edit({}, 'release', { slot: 1 })],
  ['release of slot 0', edit({}, 'release', { slot: 0, holderId: 1 })],
  ['release with a text slot', edit({}, 'release', { slot: '1', holderId: 1 })],
  ['lockdown of holder 0', edit({}, 'lockdown', { allowHolders: [0] })],
  [
    'lockdown of 1001 holders',
    edit({}, 'lockdown', { allowHolders: Array.from({ length: 1001 }, (_, i) => i + 1) }),
  ],
  ['sync without a version', edit({}, 'sync', { holders: [] })],
  ['sync with version 0', edit({}, 'sync', { version: 0, baseVersion: 0 })],
];

describe('each mistake the schema refuses, the cabinet refuses', () => {
  it.each(INVALID)('%s', (_name, make) => {
    const message = signed(make());
    expect(validateMessage('command', message)).not.toEqual([]);
    expect(cabinetRefusal(message)).toBeDefined();
  });

  it('an unsigned command, and a signature that is not base64 of 64 bytes', () => {
    const command = { ...base('ping', {}) };
    expect(validateMessage('command', command)).toEqual(['signature: is required']);
    expect(cabinetRefusal(command)).toMatch(/^unsigned: /);
    const garbled = { ...command, signature: 'abc' };
    expect(validateMessage('command', garbled)).toHaveLength(1);
    expect(cabinetRefusal(garbled)).toMatch(/^bad_signature: /);
  });
});

/** The rows of a sync are checked when it runs (src/domain/permission-set.ts). */
describe('permission sets: schema and validator agree on each row', () => {
  const context = { slotCount: SLOTS };
  const empty = { holders: [], credentials: [], keys: [], permissions: [] };
  const full = (sections: Record<string, unknown>) => ({ version: 3, ...empty, ...sections });
  const schemaOk = (args: Record<string, unknown>) =>
    validateMessage('command', signed({ ...base('sync', args) }));

  const FULL_VALID = full({
    holders: [{ id: 1, name: 'Alice', enabled: true }],
    credentials: [{ id: 2, holderId: 1, card: '100086F444', enabled: false }],
    keys: [{ id: 3, tag: 'A000000001', label: 'K-1', homeSlot: 12 }],
    permissions: [{ holderId: 1, slot: 12 }],
  });

  it('a valid full set and a valid delta', () => {
    expect(schemaOk(FULL_VALID)).toEqual([]);
    expect(validatePermissionSet(FULL_VALID, context).ok).toBe(true);
    const delta = {
      version: 4,
      baseVersion: 3,
      upsert: { holders: [{ id: 5, name: 'Bob', enabled: true }] },
      remove: { permissions: [{ holderId: 1, slot: 12 }], keys: [3] },
    };
    expect(schemaOk(delta)).toEqual([]);
    const current = validatePermissionSet(FULL_VALID, context);
    if (!current.ok) throw new Error('the full set should be valid');
    expect(validatePermissionDelta(delta, current.value, context).ok).toBe(true);
  });

  const ROWS: Array<[string, Record<string, unknown>]> = [
    ['a blank name', full({ holders: [{ id: 1, name: '   ', enabled: true }] })],
    [
      'a name of 201 characters',
      full({ holders: [{ id: 1, name: 'x'.repeat(201), enabled: true }] }),
    ],
    ['enabled as text', full({ holders: [{ id: 1, name: 'A', enabled: 'yes' }] })],
    ['holder id 0', full({ holders: [{ id: 0, name: 'A', enabled: true }] })],
    ['a row with an extra field', full({ holders: [{ id: 1, name: 'A', enabled: true, x: 1 }] })],
    [
      'a lower-case card',
      full({ credentials: [{ id: 1, holderId: 1, card: 'ab12', enabled: true }] }),
    ],
    [
      'a card of 21 digits',
      full({ credentials: [{ id: 1, holderId: 1, card: '1'.repeat(21), enabled: true }] }),
    ],
    ['a tag of 3 digits', full({ keys: [{ id: 1, tag: 'ABC', label: 'K', homeSlot: 1 }] })],
    ['an ESC in a name', full({ holders: [{ id: 1, name: 'A\u001b[2J', enabled: true }] })],
    [
      'a bidi override in a label',
      full({ keys: [{ id: 1, tag: 'ABCD', label: 'K\u202e1', homeSlot: 1 }] }),
    ],
    ['a missing section', { version: 3, holders: [], credentials: [], keys: [] }],
    ['an unknown section', full({ groups: [] })],
  ];

  it.each(ROWS)('%s', (_name, set) => {
    expect(schemaOk(set)).not.toEqual([]);
    expect(validatePermissionSet(set, context).ok).toBe(false);
  });
});
