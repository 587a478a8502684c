import type { CardFacts } from '../domain/cabinet-directory.js';
import type { SlotPermission } from '../domain/model.js';
import {
  CREDENTIAL_COLUMNS,
  toCredential,
  toHolder,
  toLoan,
  withValidity,
  type CredentialRow,
} from './directory-rows.js';

/**
 * A card's credential with its holder, permissions, groups and open loans, in one statement:
 * the holder's rows come back as JSON arrays built inside SQLite. Why (issue 9): on the badge's
 * path each statement costs its own crossing from JavaScript and its own cold start after the
 * cabinet sat idle; measured in the badge benchmark, these five reads took 255 µs at p50 as
 * five statements and 110 µs as this one.
 *
 * Each subquery reads what the single lookup reads (sqlite-directory.ts), with the same
 * conditions and so the same index and order; test/store/card-facts.test.ts holds them to
 * the same answers.
 */
export const CARD_FACTS_SQL = `SELECT ${CREDENTIAL_COLUMNS},
    (SELECT json_array(h.name, h.enabled, h.valid_from, h.valid_until, h.max_keys_out)
       FROM holders h WHERE h.id = credentials.holder_id) AS holder,
    (SELECT json_group_array(json_array(p.slot, p.valid_from, p.valid_until, p.max_loan_minutes))
       FROM permissions p INDEXED BY permissions_of_holder
      WHERE p.holder_id = credentials.holder_id) AS permissions,
    (SELECT json_group_array(m.group_id) FROM group_members m
      WHERE m.holder_id = credentials.holder_id) AS groupIds,
    (SELECT json_group_array(json_array(l.key_id, l.slot, l.out_at, l.due_at, l.overdue_at))
       FROM loans l WHERE l.holder_id = credentials.holder_id AND l.returned_at IS NULL)
      AS openLoans
  FROM credentials WHERE card = ?`;

/** The statement's row: the credential's columns, and the holder's facts as JSON text. */
export type CardFactsRow = CredentialRow & {
  /** [name, enabled, valid_from, valid_until, max_keys_out]; NULL when the holder is gone. */
  holder: string | null;
  /** [[slot, valid_from, valid_until, max_loan_minutes], …] */
  permissions: string;
  groupIds: string;
  /** [[key_id, slot, out_at, due_at, overdue_at], …] */
  openLoans: string;
};

type Text = string | null;

export function toCardFacts(row: CardFactsRow): CardFacts {
  const { holder, permissions, groupIds, openLoans, ...credentialRow } = row;
  const credential = toCredential(credentialRow);
  const holderId = credential.holderId;
  const h =
    holder === null ? null : (JSON.parse(holder) as [string, number, Text, Text, number | null]);
  return {
    credential,
    holder:
      h === null
        ? undefined
        : toHolder({
            id: holderId,
            name: h[0],
            enabled: h[1],
            validFrom: h[2],
            validUntil: h[3],
            maxKeysOut: h[4],
          }),
    permissions: (JSON.parse(permissions) as Array<[number, Text, Text, number | null]>).map(
      ([slot, validFrom, validUntil, maxLoanMinutes]): SlotPermission =>
        withValidity({ holderId, slot, validFrom, validUntil, maxLoanMinutes }),
    ),
    groupIds: JSON.parse(groupIds) as number[],
    openLoans: (JSON.parse(openLoans) as Array<[number, number, string, Text, Text]>).map(
      ([keyId, slot, outAt, dueAt, overdueAt]) =>
        toLoan({
          key_id: keyId,
          holder_id: holderId,
          slot,
          out_at: outAt,
          due_at: dueAt,
          overdue_at: overdueAt,
        }),
    ),
  };
}
