import type { ImportRecords } from '../store/import-records.js';
import { count, FieldError, instant, notEnded, text, validityOrder } from './fields.js';
import type { ImportKind, RowChange } from './import-kind.js';

/**
 * permissions.csv: the direct permissions (a holder may take the key of a slot), each with its
 * validity and loan limit. Group and key-set grants are policy, kept with the custodian
 * commands. A new pair is granted; a known one must match the records.
 */
export const permissionsCsv: ImportKind = {
  name: 'permissions',
  headers: ['hr_ref', 'slot', 'valid_from', 'valid_until', 'max_loan_minutes'],
  checker(records: ImportRecords, now: Date) {
    const seen = new Set<string>();
    return (row): RowChange | null => {
      const ref = text(row.hr_ref ?? '', 'hr_ref', 64);
      const slot = count(row.slot ?? '', 'slot', 1);
      if (slot === null) throw new FieldError('slot is empty');
      if (!records.slotExists(slot)) throw new FieldError(`no slot ${slot} in this cabinet`);
      const pair = `${ref}\u0000${slot}`;
      if (seen.has(pair))
        throw new FieldError(`hr_ref ${ref}, slot ${slot} appears twice in the file`);
      seen.add(pair);
      const validFrom = instant(row.valid_from ?? '', 'valid_from');
      const validUntil = instant(row.valid_until ?? '', 'valid_until');
      validityOrder(validFrom, validUntil);
      const maxLoan = count(row.max_loan_minutes ?? '', 'max_loan_minutes', 1);
      const holder = records.holderByRef(ref);
      if (!holder) throw new FieldError(`no holder has hr_ref ${ref} (import the holders first)`);
      if (holder.retired) throw new FieldError(`hr_ref ${ref} is holder ${holder.id}, retired`);
      const record = records.permission(holder.id, slot);
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
          records.insertPermission(
            { holderId: holder.id, slot, validFrom, validUntil, maxLoanMinutes: maxLoan },
            at,
          );
          return { type: 'permission.granted', data: { actor, holderId: holder.id, slot } };
        },
      };
    };
  },
  exportRows(records) {
    return records.permissionRows();
  },
};
