import type { ImportRecords } from '../store/import-records.js';
import { count, FieldError, flag, instant, notEnded, text, validityOrder } from './fields.js';
import type { ImportKind, RowChange } from './import-kind.js';

/**
 * holders.csv: one row per person, named by the HR reference. A new reference adds the holder;
 * a known one must match the records, except that `enabled` may go from 1 to 0 (a departure).
 * Changing a holder otherwise is the custodian commands' job: there is no audit event for an
 * edit yet, and an import must not change what it cannot record.
 */
export const holdersCsv: ImportKind = {
  name: 'holders',
  headers: ['hr_ref', 'name', 'enabled', 'valid_from', 'valid_until', 'max_keys_out'],
  checker(records: ImportRecords, now: Date) {
    const seen = new Set<string>();
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
      const known = records.holderByRef(ref);
      if (!known) {
        notEnded(validUntil, now, 'valid_until');
        return {
          apply(actor, at) {
            const id = records.insertHolder(
              { name, enabled, validFrom, validUntil, maxKeysOut, hrRef: ref },
              at,
            );
            return { type: 'holder.added', data: { actor, holderId: id, name } };
          },
        };
      }
      if (known.retired) {
        throw new FieldError(`hr_ref ${ref} is holder ${known.id}, retired by the central server`);
      }
      const record = records.holder(known.id);
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
          records.disableHolder(known.id);
          return {
            type: 'holder.disabled',
            data: { actor, holderId: known.id, name: record.name },
          };
        },
      };
    };
  },
  exportRows(records) {
    return records.holderRows();
  },
};
