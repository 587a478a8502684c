import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/contract/canonical-json.js';
import { eventHash, GENESIS_HASH } from '../../src/contract/event-chain.js';
import {
  loadSchema,
  MESSAGE_KINDS,
  validateMessage,
  type MessageKind,
} from '../../src/contract/schemas.js';
import {
  signCommand,
  verifyCommandSignature,
  type SignedCommand,
} from '../../src/contract/signed-command.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { packageRoot } from '../../src/paths.js';

/**
 * docs/mqtt.md against the code: the worked examples (an event's canonical encoding and hash,
 * a command's signed text and signature) are recomputed with the cabinet's own functions, and
 * every JSON example marked `<!-- validate:… -->` is checked against docs/schemas. The doc
 * cannot drift from the code without this test failing.
 */
const DOC = readFileSync(join(packageRoot(), 'docs', 'mqtt.md'), 'utf8');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** The fenced code block after each `<!-- <tag>:<name> -->`, by name. */
function blocks(tag: string): Map<string, string> {
  const pattern = new RegExp(`<!-- ${tag}:(\\S+) -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``, 'g');
  const found = new Map<string, string>();
  for (const match of DOC.matchAll(pattern)) {
    const [, name = '', body = ''] = match;
    if (found.has(name)) throw new Error(`docs/mqtt.md: two examples named ${tag}:${name}`);
    found.set(name, body);
  }
  return found;
}

const examples = blocks('example');
function example(name: string): string {
  const body = examples.get(name);
  if (body === undefined) throw new Error(`docs/mqtt.md has no <!-- example:${name} --> block`);
  return body;
}
const json = <T>(name: string): T => JSON.parse(example(name)) as T;

describe('the worked example of the hash chain', () => {
  const first = json<RecordedEvent>('event-1');
  const second = json<RecordedEvent>('event-2');

  it('both events match the schema', () => {
    expect(validateMessage('event', first)).toEqual([]);
    expect(validateMessage('event', second)).toEqual([]);
  });

  it('the canonical encoding shown is the code’s, with the length stated', () => {
    const { hash: _hash, ...unhashed } = second;
    const canonical = canonicalJson(unhashed);
    expect(example('event-2-canonical')).toBe(canonical);
    const stated = /one line of (\d+) characters, (\d+) bytes in UTF-8/.exec(DOC);
    expect(Number(stated?.[1])).toBe(canonical.length);
    expect(Number(stated?.[2])).toBe(Buffer.byteLength(canonical, 'utf8'));
  });

  it('the SHA-256 shown is the hash of that text, and the event’s hash', () => {
    const sha = createHash('sha256').update(example('event-2-canonical'), 'utf8').digest('hex');
    expect(example('event-2-hash')).toBe(sha);
    expect(second.hash).toBe(sha);
    expect(eventHash(second)).toBe(second.hash);
  });

  it('the two events are chained', () => {
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(eventHash(first)).toBe(first.hash);
    expect(second.prevHash).toBe(first.hash);
    expect(second.seq).toBe(first.seq + 1);
  });
});

describe('the worked example of a signed command', () => {
  const command = json<SignedCommand>('command');
  const publicKey = example('command-public-key');

  it('matches the schema', () => {
    expect(validateMessage('command', command)).toEqual([]);
  });

  it('the signed text is the canonical encoding without the signature', () => {
    const { signature: _signature, ...unsigned } = command;
    expect(example('command-canonical')).toBe(canonicalJson(unsigned));
  });

  it('the signature verifies with the public key shown, which is the test fixture', () => {
    expect(verifyCommandSignature(command, publicKey)).toBe(true);
    expect(publicKey + '\n').toBe(
      readFileSync(join(FIXTURES, 'command-signing-test.pub.pem'), 'utf8'),
    );
    expect(verifyCommandSignature({ ...command, args: { fromSeq: 3 } }, publicKey)).toBe(false);
  });

  it('Ed25519 is deterministic: the fixture’s private key gives the same signature', () => {
    const { signature, ...unsigned } = command;
    const key = createPrivateKey(
      readFileSync(join(FIXTURES, 'command-signing-test.key.pem'), 'utf8'),
    );
    expect(signCommand(unsigned, key).signature).toBe(signature);
  });
});

describe('every other example in docs/mqtt.md matches the schemas', () => {
  const marked = blocks('validate');
  const second = json<RecordedEvent>('event-2');
  const eventTypes = (loadSchema('event').properties as { type: { enum: string[] } }).type.enum;

  it('there are examples of the retained states, a reply, and the data of most events', () => {
    const kinds = [...marked.keys()];
    expect(kinds).toEqual(expect.arrayContaining(['status', 'inventory', 'alarms', 'reply']));
    // The types not shown are described as "same fields as …" or have no data.
    const shown = kinds.filter((k) => k.startsWith('data:')).map((k) => k.slice(5));
    expect(eventTypes.filter((t) => !shown.includes(t)).sort()).toEqual([
      'cabinet.tamper',
      'door.forced',
      'emergency.ended',
      'lockdown.ended',
      'permission.revoked',
      'power.failed',
      'power.restored',
      'storage.corrupt',
      'storage.failed',
      'storage.readonly',
    ]);
  });

  it.each([...blocks('validate').entries()])('%s', (name, body) => {
    const value = JSON.parse(body) as Record<string, unknown>;
    if (name.startsWith('data:')) {
      // The data of one type, checked inside an otherwise valid envelope. A second example of
      // a type is named `data:<type>#<variant>`.
      const event = { ...second, type: name.slice(5).split('#')[0], data: value };
      expect(validateMessage('event', event)).toEqual([]);
    } else {
      expect(MESSAGE_KINDS).toContain(name);
      expect(validateMessage(name as MessageKind, value)).toEqual([]);
    }
  });

  it('every event type has its section', () => {
    const headings = [...DOC.matchAll(/^### (.+)$/gm)].map((m) => m[1] ?? '');
    const missing = eventTypes.filter((t) => !headings.some((h) => h.split(', ').includes(t)));
    expect(missing).toEqual([]);
  });
});
