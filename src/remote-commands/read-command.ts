import { hasLoneSurrogate } from '../contract/canonical-json.js';
import { MAX_COMMAND_BYTES, MAX_SYNC_BYTES } from '../contract/command-size.js';
import { jsonLimitProblem, MAX_COMMAND_NESTING } from '../contract/json-limits.js';
import type { SignedCommand } from '../contract/signed-command.js';
import { truncate } from '../contract/truncate.js';
import { scanEnvelope } from './envelope-scan.js';
import { readInstant } from '../domain/values/instant.js';
import { NOTHING_READABLE, rejection, type Readable, type Rejection } from './rejection.js';

/**
 * The first checks of the intake's order, before anything is known about the sender: the size,
 * the JSON, and the shape of the envelope (docs/mqtt.md, "Commands"). Nothing here trusts the
 * content; it only decides whether there is a command to verify.
 */

/**
 * The envelope as received: the fields of a signed command (src/contract/signed-command.ts),
 * but the name is not yet known to be a command, and the signature may be missing (refused as
 * `unsigned` once the envelope is known).
 */
export type WireCommand = Omit<SignedCommand, 'name' | 'signature'> & {
  name: string;
  signature?: string;
};

export type ReadResult = { ok: true; command: WireCommand } | { ok: false; rejection: Rejection };

const FIELDS = [
  'id',
  'name',
  'cabinetId',
  'issuedAt',
  'expiresAt',
  'keyId',
  'counter',
  'args',
  'signature',
] as const;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_TEXT = 128;

export function payloadLimit(topicName: string): number {
  return topicName === 'sync' ? MAX_SYNC_BYTES : MAX_COMMAND_BYTES;
}

/**
 * What the envelope alone decides (verify-command.ts): for a large payload it runs on the
 * scanned envelope before the payload is parsed, and again on the parsed command.
 */
export type EnvelopeCheck = (
  command: WireCommand,
) => { ok: false; rejection: Rejection } | undefined;

export function readCommand(
  topicName: string,
  payload: Buffer,
  checkEnvelope: EnvelopeCheck = () => undefined,
): ReadResult {
  const limit = payloadLimit(topicName);
  if (payload.length > limit) {
    return rejection(
      'malformed',
      `the payload is ${payload.length} bytes; a ${topicName} command may have at most ${limit}`,
      NOTHING_READABLE,
    );
  }
  if (payload.length > MAX_COMMAND_BYTES) {
    // Only a sync may be this large, and anybody on the broker can send one: its envelope is
    // read and checked from a byte scan, and it is parsed only if that passes.
    const envelope = scanEnvelope(payload);
    if (!envelope)
      return rejection('malformed', 'the payload is not a JSON object', NOTHING_READABLE);
    const problem = shapeProblem(envelope);
    if (problem) return rejection('malformed', problem, readableOf(envelope));
    const refused = checkEnvelope(envelope as unknown as WireCommand);
    if (refused) return refused;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return rejection(
      'malformed',
      `the payload is not JSON: ${(error as Error).message}`,
      NOTHING_READABLE,
    );
  }
  if (!isRecord(parsed))
    return rejection('malformed', 'a command is a JSON object', NOTHING_READABLE);
  const readable = readableOf(parsed);
  // Before the shape, and long before the signature: a value nested without bound, or one that
  // has no canonical encoding, is malformed whoever signed it (docs/mqtt.md, "Checks, in order").
  const problem = jsonLimitProblem(parsed, MAX_COMMAND_NESTING) ?? shapeProblem(parsed);
  if (problem) return rejection('malformed', problem, readable);
  const command = parsed as unknown as WireCommand;
  return checkEnvelope(command) ?? { ok: true, command };
}

/** The id, name and key of a refused command, when they are at least well-formed strings. */
function readableOf(record: Record<string, unknown>): Readable {
  const text = (v: unknown) =>
    typeof v === 'string' && !hasLoneSurrogate(v) ? truncate(v, MAX_TEXT) : null;
  return { commandId: text(record.id), name: text(record.name), keyId: text(record.keyId) };
}

function shapeProblem(record: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(record).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) return `unknown field ${JSON.stringify(truncate(unknown, MAX_TEXT))}`;
  for (const field of ['id', 'name', 'cabinetId', 'keyId'] as const) {
    const value = record[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
      return `${field}: must be a string of 1 to ${MAX_TEXT} characters`;
    }
  }
  for (const field of ['issuedAt', 'expiresAt'] as const) {
    const value = record[field];
    if (typeof value !== 'string' || !ISO_UTC.test(value)) {
      return `${field}: must be an ISO 8601 time with a zone, e.g. 2026-11-24T09:00:00Z`;
    }
    // The contract allows up to nine fraction digits (what servers' libraries write); the
    // cabinet reads them to the millisecond. The calendar is the one instant reader's: an
    // impossible date is refused, never rolled over into a later expiry.
    const reading = readInstant(value.replace(/(\.\d{3})\d+/, '$1'));
    if (!reading.ok) return `${field}: ${reading.problem}`;
  }
  const { counter, args, signature } = record;
  if (typeof counter !== 'number' || !Number.isSafeInteger(counter) || counter < 1) {
    return 'counter: must be an integer of at least 1';
  }
  if (!isRecord(args)) return 'args: must be an object';
  if (signature !== undefined && typeof signature !== 'string') {
    return 'signature: must be a base64 string';
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
