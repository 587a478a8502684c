import type { Credential, Holder, Loan } from '../domain/model.js';
import { toMs } from './policy-lookups.js';

// The rows the cabinet's directory reads (sqlite-directory.ts, card-facts.ts) and how each
// becomes the domain's value: one mapping, whichever statement read the row.

/** Validity columns as read: ISO 8601 UTC text, NULL for no bound. */
export interface ValidityRow {
  validFrom: string | null;
  validUntil: string | null;
}

export const VALIDITY = 'valid_from AS validFrom, valid_until AS validUntil';

/** A credential as `credentialByCard` and `cardFacts` select it (CREDENTIAL_COLUMNS). */
export type CredentialRow = Omit<Credential, 'enabled' | 'pinRequired' | 'hasPin'> & {
  enabled: number;
  pinRequired: number;
  hasPin: number;
} & ValidityRow;

/** The credentials table's columns a badge reads, with its wrong PINs in a row (migration 010). */
export const CREDENTIAL_COLUMNS = `credentials.id, credentials.holder_id AS holderId,
  credentials.card, credentials.enabled, credentials.valid_from AS validFrom,
  credentials.valid_until AS validUntil, credentials.pin_required AS pinRequired,
  credentials.pin_hash IS NOT NULL AS hasPin,
  coalesce((SELECT wrong_pins FROM pin_failures WHERE credential_id = credentials.id), 0)
    AS wrongPins`;

export function toCredential(row: CredentialRow): Credential {
  return {
    ...withValidity(row),
    enabled: row.enabled === 1,
    pinRequired: row.pinRequired === 1,
    hasPin: row.hasPin === 1,
  };
}

export type HolderRow = Omit<Holder, 'enabled'> & { enabled: number } & ValidityRow;

export function toHolder(row: HolderRow): Holder {
  return { ...withValidity(row), enabled: row.enabled === 1 };
}

export interface LoanRow {
  key_id: number;
  holder_id: number;
  slot: number;
  out_at: string;
  due_at: string | null;
  overdue_at: string | null;
}

export const LOAN_COLUMNS = 'key_id, holder_id, slot, out_at, due_at, overdue_at';

export function toLoan(row: LoanRow): Loan {
  return {
    keyId: row.key_id,
    holderId: row.holder_id,
    slot: row.slot,
    outAtMs: Date.parse(row.out_at),
    dueAtMs: row.due_at === null ? null : Date.parse(row.due_at),
    overdueAnnounced: row.overdue_at !== null,
  };
}

/** Replaces the validity columns of a row with the domain's epoch-ms bounds. */
export function withValidity<T extends ValidityRow>(
  row: T,
): Omit<T, keyof ValidityRow> & { validFromMs: number | null; validUntilMs: number | null } {
  const { validFrom, validUntil, ...rest } = row;
  return { ...rest, validFromMs: toMs(validFrom), validUntilMs: toMs(validUntil) };
}
