import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../domain/events.js';
import { canonicalJson } from './canonical-json.js';

/** The previous hash of the first event a cabinet ever records. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * An event's hash: SHA-256, in lower-case hex, of the canonical JSON of the event without its
 * `hash` field (so it covers `prevHash`, chaining each event to the one before it). Editing,
 * deleting or reordering any recorded event breaks every hash after it.
 */
export function eventHash(event: Omit<RecordedEvent, 'hash'>): string {
  const { hash: _ignored, ...rest } = event as RecordedEvent;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

export type ChainCheck = { ok: true } | { ok: false; reason: 'hash_mismatch' | 'broken_link' };

/** Checks one event against its own hash and against the hash of the event before it. */
export function checkLink(event: RecordedEvent, previousHash: string | undefined): ChainCheck {
  if (eventHash(event) !== event.hash) return { ok: false, reason: 'hash_mismatch' };
  if (previousHash !== undefined && event.prevHash !== previousHash) {
    return { ok: false, reason: 'broken_link' };
  }
  return { ok: true };
}
