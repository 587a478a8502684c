import type { Database } from 'better-sqlite3';
import { count, FieldError, flag, instant, notEnded, text, validityOrder } from './fields.js';
import { holderLookup, type ImportKind, type RowChange } from './import-kind.js';

interface HolderRecord {
  id: number;
  name: string;
  enabled: number;
  valid_from: string | null;
  valid_until: string | null;
  max_keys_out: number | null;
}

/**
 * holders.csv: one row per person, named by the HR reference. A new reference adds the holder;
 * a known one must match the records, except that `enabled` may go from 1 to 0 (a departure).
 * Changing a holder otherwise is the custodian commands' job: there is no audit event for an
 * edit yet, and an import must not change what it cannot record.
 */
export const holdersCsv: ImportKind = {
  name: 'holders',
  headers: ['hr_ref', 'name', 'enabled', 'valid_from', 'valid_until', 'max_keys_out'],
  checker(db: Database, now: Date) {
    const seen = new Set<string>();
    const holderByRef = holderLookup(db);
    const insert = db.prepare(
      `INSERT INTO holders (name, enabled, valid_from, valid_until, max_keys_out, hr_ref, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const disable = db.prepare('UPDATE holders SET enabled = 0 WHERE id = ?');
    const existing = db.prepare(
      'SELECT id, name, enabled, valid_from, valid_until, max_keys_out FROM holders WHERE id = ?',
    );
    return (row): RowChange | null => {
      const ref = text(row.hr_ref ?? '', 'hr_ref', 64);
      if (seen.has(ref)) throw new FieldError(`hr_ref ${ref} appears twice in the file`);
      seen.add(ref);
      const name = text(row.name ?? '', 'name', 200);
      const enabled = flag(row.enabled ?? '', 'enabled', true);
      const validFrom = instant(row.valid_from ?? '', 'valid_from');
      const validUntil = instant(row.valid_until ?? '', 'valid_until');
      validityOrder(validFrom, validUntil);
      const maxKeysOut = count(row.max_keys_out ?? '', 'max_keys_out', 0);
      const known = holderByRef(ref);
      if (!known) {
        notEnded(validUntil, now, 'valid_until');
        return {
          apply(actor, at) {
            const id = Number(
              insert.run(name, enabled ? 1 : 0, validFrom, validUntil, maxKeysOut, ref, at)
                .lastInsertRowid,
            );
            return { type: 'holder.added', data: { actor, holderId: id, name } };
          },
        };
      }
      if (known.retired) {
        throw new FieldError(`hr_ref ${ref} is holder ${known.id}, retired by the central server`);
      }
      const record = existing.get(known.id) as HolderRecord;
      const differs = [
        ['name', record.name, name],
        ['valid_from', record.valid_from, validFrom],
        ['valid_until', record.valid_until, validUntil],
        ['max_keys_out', record.max_keys_out, maxKeysOut],
      ].filter(([, was, now]) => was !== now);
      // Re-enabling is a change the import cannot record (there is no event for it yet).
      if (enabled && record.enabled === 0) differs.push(['enabled', '0', '1']);
      if (differs.length > 0) {
        const [column, was] = differs[0] as [string, unknown, unknown];
        throw new FieldError(
          `${column} differs from holder ${known.id}'s record (${JSON.stringify(was)}); ` +
            'the import adds holders and disables them, other changes are made with the holder commands',
        );
      }
      if (enabled || record.enabled === 0) return null;
      return {
        apply(actor) {
          disable.run(known.id);
          return {
            type: 'holder.disabled',
            data: { actor, holderId: known.id, name: record.name },
          };
        },
      };
    };
  },
  exportRows(db) {
    return db
      .prepare(
        `SELECT hr_ref, name, enabled, valid_from, valid_until, max_keys_out FROM holders
            WHERE retired = 0 AND hr_ref IS NOT NULL ORDER BY hr_ref`,
      )
      .raw()
      .all() as unknown[][];
  },
};
