import { maskCard } from '../domain/mask-card.js';
import { FieldError, flag, instant, notEnded, text, validityOrder } from './fields.js';
import type { ImportRecords } from '../store/import-records.js';
import type { ImportCabinet, ImportKind, RowChange } from './import-kind.js';

/**
 * credentials.csv: one row per card, with the HR reference of its holder (imported before).
 * A new card is enrolled; a known one must match the records. Card numbers are personal data:
 * errors and events show them masked, the export only with --with-cards.
 */
export const credentialsCsv: ImportKind = {
  name: 'credentials',
  headers: ['hr_ref', 'card', 'enabled', 'valid_from', 'valid_until', 'pin_required'],
  checker(records: ImportRecords, now: Date, cabinet: ImportCabinet = {}) {
    const seen = new Set<string>();
    return (row): RowChange | null => {
      const ref = text(row.hr_ref ?? '', 'hr_ref', 64);
      const rawCard = (row.card ?? '').trim();
      if (rawCard.includes('…')) {
        throw new FieldError(
          `card ${rawCard} is masked: export with --with-cards for numbers that can be imported`,
        );
      }
      const card = rawCard.toUpperCase();
      if (!/^[0-9A-F]{1,20}$/.test(card)) {
        throw new FieldError(`card ${maskCard(card)} must be 1 to 20 decimal or hex digits`);
      }
      const refusal = cabinet.cardRefusal?.(card);
      if (refusal !== undefined) {
        throw new FieldError(`card ${maskCard(card)}: this cabinet's badge reader ${refusal}`);
      }
      if (seen.has(card)) throw new FieldError(`card ${maskCard(card)} appears twice in the file`);
      seen.add(card);
      const enabled = flag(row.enabled ?? '', 'enabled', true);
      const validFrom = instant(row.valid_from ?? '', 'valid_from');
      const validUntil = instant(row.valid_until ?? '', 'valid_until');
      validityOrder(validFrom, validUntil);
      const pinRequired = flag(row.pin_required ?? '', 'pin_required', false);
      const holder = records.holderByRef(ref);
      if (!holder) throw new FieldError(`no holder has hr_ref ${ref} (import the holders first)`);
      if (holder.retired) throw new FieldError(`hr_ref ${ref} is holder ${holder.id}, retired`);
      const record = records.credentialByCard(card);
      if (record) {
        if (record.holder_id !== holder.id) {
          throw new FieldError(
            `card ${maskCard(card)} is already enrolled to holder ${record.holder_id}`,
          );
        }
        const same =
          record.enabled === (enabled ? 1 : 0) &&
          record.valid_from === validFrom &&
          record.valid_until === validUntil &&
          record.pin_required === (pinRequired ? 1 : 0);
        if (!same) {
          throw new FieldError(
            `card ${maskCard(card)} is enrolled (credential ${record.id}) with other settings; ` +
              'the import enrols new cards, changes are made with the credential commands',
          );
        }
        return null;
      }
      notEnded(validUntil, now, 'valid_until');
      return {
        apply(actor, at) {
          const id = records.insertCredential(
            { holderId: holder.id, card, enabled, validFrom, validUntil, pinRequired },
            at,
          );
          return {
            type: 'credential.added',
            data: { actor, credentialId: id, holderId: holder.id, card: maskCard(card) },
          };
        },
      };
    };
  },
  exportRows(records, { cards }) {
    const rows = records.credentialRows();
    return cards ? rows : rows.map((r) => [r[0], maskCard(String(r[1])), ...r.slice(2)]);
  },
};
