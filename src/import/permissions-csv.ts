import type { Database } from 'better-sqlite3';
import { count, FieldError, instant, notEnded, text, validityOrder } from './fields.js';
import { holderLookup, type ImportKind, type RowChange } from './import-kind.js';

interface PermissionRecord {
  valid_from: string | null;
  valid_until: string | null;
  max_loan_minutes: number | null;
}

/**
 * permissions.csv: the direct permissions (a holder may take the key of a slot), each with its
 * validity and loan limit. Group and key-set grants are policy, kept with the custodian
 * commands. A new pair is granted; a known one must match the records.
 */
export const permissionsCsv: ImportKind = {
  name: 'permissions',
  headers: ['hr_ref', 'slot', 'valid_from', 'valid_until', 'max_loan_minutes'],
  checker(db: Database, now: Date) {
    const seen = new Set<string>();
    const holderByRef = holderLookup(db);
    const insert = db.prepare(
      `INSERT INTO permissions (holder_id, slot, valid_from, valid_until, max_loan_minutes, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const slotExists = db.prepare('SELECT 1 FROM slots WHERE number = ?');
    const byPair = db.prepare(
      'SELECT valid_from, valid_until, max_loan_minutes FROM permissions WHERE holder_id = ? AND slot = ?',
    );
    return (row): RowChange | null => {
      const ref = text(row.hr_ref ?? '', 'hr_ref', 64);
      const slot = count(row.slot ?? '', 'slot', 1);
      if (slot === null) throw new FieldError('slot is empty');
      if (!slotExists.get(slot)) throw new FieldError(`no slot ${slot} in this cabinet`);
      const pair = `${ref}\u0000${slot}`;
      if (seen.has(pair))
        throw new FieldError(`hr_ref ${ref}, slot ${slot} appears twice in the file`);
      seen.add(pair);
      const validFrom = instant(row.valid_from ?? '', 'valid_from');
      const validUntil = instant(row.valid_until ?? '', 'valid_until');
      validityOrder(validFrom, validUntil);
      const maxLoan = count(row.max_loan_minutes ?? '', 'max_loan_minutes', 1);
      const holder = holderByRef(ref);
      if (!holder) throw new FieldError(`no holder has hr_ref ${ref} (import the holders first)`);
      if (holder.retired) throw new FieldError(`hr_ref ${ref} is holder ${holder.id}, retired`);
      const record = byPair.get(holder.id, slot) as PermissionRecord | undefined;
      if (record) {
        const same =
          record.valid_from === validFrom &&
          record.valid_until === validUntil &&
          record.max_loan_minutes === maxLoan;
        if (!same) {
          throw new FieldError(
            `holder ${holder.id} already has slot ${slot} with other validity or limit; ` +
              'the import grants new permissions, changes are made with the permission commands',
          );
        }
        return null;
      }
      notEnded(validUntil, now, 'valid_until');
      return {
        apply(actor, at) {
          insert.run(holder.id, slot, validFrom, validUntil, maxLoan, at);
          return { type: 'permission.granted', data: { actor, holderId: holder.id, slot } };
        },
      };
    };
  },
  exportRows(db) {
    return db
      .prepare(
        `SELECT h.hr_ref, p.slot, p.valid_from, p.valid_until, p.max_loan_minutes
           FROM permissions p JOIN holders h ON h.id = p.holder_id
          WHERE h.retired = 0 AND h.hr_ref IS NOT NULL ORDER BY h.hr_ref, p.slot`,
      )
      .raw()
      .all() as unknown[][];
  },
};
