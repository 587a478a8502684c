import { KeywardenError } from '../../errors.js';
import { maskCard } from '../../domain/mask-card.js';
import { holderFields } from './holders.js';
import { change, notFound, policyChanged, stamp, updated, type ChangeScope } from './scope.js';

export interface CredentialFields {
  holderId: number;
  /** Shortened (…F444): the full number is a secret of the holder's badge. */
  card: string;
  enabled: boolean;
  validFrom: string | null;
  validUntil: string | null;
}

export interface CredentialRow extends CredentialFields {
  id: number;
  holderName: string;
  pin: boolean;
  duressPin: boolean;
  pinRequired: boolean;
}

export function credentialFields(scope: Pick<ChangeScope, 'db'>, id: number): CredentialFields {
  const row = scope.db
    .prepare(
      `SELECT holder_id AS holderId, card, enabled, valid_from AS validFrom,
              valid_until AS validUntil FROM credentials WHERE id = ?`,
    )
    .get(id) as (Omit<CredentialFields, 'enabled'> & { enabled: number }) | undefined;
  if (!row) throw notFound('credential', id);
  return { ...row, card: maskCard(row.card), enabled: row.enabled === 1 };
}

/** Enrols a card already cleaned, with bounds already checked (src/app). */
export function addCredential(
  scope: ChangeScope,
  holderId: number,
  clean: string,
  options: { validFrom?: string | null; validUntil?: string | null } = {},
): number {
  const validFrom = options.validFrom ?? null;
  const validUntil = options.validUntil ?? null;
  return change(scope, () => {
    holderFields(scope, holderId);
    const existing = scope.db
      .prepare('SELECT holder_id FROM credentials WHERE card = ?')
      .get(clean) as { holder_id: number } | undefined;
    if (existing) {
      throw new KeywardenError(
        'CONFLICT',
        `card ${maskCard(clean)} is already enrolled to holder ${existing.holder_id}`,
      );
    }
    const id = Number(
      scope.db
        .prepare(
          `INSERT INTO credentials (holder_id, card, valid_from, valid_until, created_at)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(holderId, clean, validFrom, validUntil, stamp(scope)).lastInsertRowid,
    );
    const detailed = validFrom !== null || validUntil !== null;
    return {
      result: id,
      events: [
        {
          type: 'credential.added',
          data: { actor: scope.actor, credentialId: id, holderId, card: maskCard(clean) },
        },
        ...(detailed
          ? [policyChanged(scope, 'credential', id, null, { ...credentialFields(scope, id) })]
          : []),
      ],
    };
  });
}

/** Changes the given fields; `check` as for updateHolder. */
export function updateCredential(
  scope: ChangeScope,
  id: number,
  patch: Partial<Pick<CredentialFields, 'enabled' | 'validFrom' | 'validUntil'>>,
  check: (after: CredentialFields) => void = () => {},
): boolean {
  return change(scope, () => {
    const before = credentialFields(scope, id);
    const after = { ...before, ...patch };
    check(after);
    const events = updated(scope, 'credential', id, { ...before }, { ...after });
    if (events.length === 0) return { result: false };
    scope.db
      .prepare('UPDATE credentials SET enabled = ?, valid_from = ?, valid_until = ? WHERE id = ?')
      .run(after.enabled ? 1 : 0, after.validFrom, after.validUntil, id);
    return { result: true, events };
  });
}

export function listCredentials(
  scope: Pick<ChangeScope, 'db'>,
  holderId?: number,
): CredentialRow[] {
  // A filter on a holder who does not exist is a mistake to name, not an empty list.
  if (holderId !== undefined) holderFields(scope, holderId);
  const rows = scope.db
    .prepare(
      `SELECT c.id, c.holder_id AS holderId, h.name AS holderName, c.card, c.enabled,
              c.valid_from AS validFrom, c.valid_until AS validUntil,
              c.pin_hash IS NOT NULL AS pin, c.duress_pin_hash IS NOT NULL AS duressPin,
              c.pin_required AS pinRequired
         FROM credentials c JOIN holders h ON h.id = c.holder_id
        WHERE h.retired = 0 AND (@holder IS NULL OR c.holder_id = @holder) ORDER BY c.id`,
    )
    .all({ holder: holderId ?? null }) as Array<
    Omit<CredentialRow, 'enabled' | 'pin' | 'duressPin' | 'pinRequired'> & {
      enabled: number;
      pin: number;
      duressPin: number;
      pinRequired: number;
    }
  >;
  return rows.map((r) => ({
    ...r,
    card: maskCard(r.card),
    enabled: r.enabled === 1,
    pin: r.pin === 1,
    duressPin: r.duressPin === 1,
    pinRequired: r.pinRequired === 1,
  }));
}
