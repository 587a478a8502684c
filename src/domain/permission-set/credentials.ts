import { instantOrNull } from '../policy/set-checks.js';
import { pinHashOrNull } from '../policy/loan-tier-pin-checks.js';
import { byId, flag, id, matching, validityOrder } from './field-checks.js';
import type { SectionRule } from './section-rule.js';
import type { SetCredential } from './wire.js';

const CARD = /^[0-9A-F]{1,20}$/;

/** A badge card of a holder, with its optional PIN and duress PIN. */
export const credentials: SectionRule<'credentials'> = {
  fields: {
    id,
    holderId: id,
    card: matching(CARD, '1 to 20 upper-case decimal or hex digits'),
    enabled: flag,
    validFrom: instantOrNull,
    validUntil: instantOrNull,
    pinRequired: flag,
    pinHash: pinHashOrNull,
    duressPinHash: pinHashOrNull,
  },
  ...byId,
  optional: ['validFrom', 'validUntil', 'pinRequired', 'pinHash', 'duressPinHash'],
  defaults: { pinRequired: false },
  describe: (key) => `credential ${key}`,
  // The card itself is personal data: messages name the credential that has it instead.
  // PIN hashes likewise never appear in a message.
  unique: [{ field: 'card', what: 'the card' }],
  references: [{ field: 'holderId', section: 'holders' }],
  extra: (rows) => [...validityOrder(rows), ...duressApart(rows)],
};

/**
 * A duress PIN needs a normal one beside it, and must not be the very same hash: that PIN
 * would always raise the alarm. (Two hashes of one PIN with different salts cannot be told
 * apart here; the central server, which saw the PINs, must refuse those.)
 */
function duressApart(rows: ReadonlyArray<SetCredential>) {
  return rows.flatMap((row, index) => {
    const duress = row.duressPinHash ?? null;
    if (duress === null) return [];
    const pin = row.pinHash ?? null;
    if (pin === null) return [{ index, field: 'duressPinHash', problem: 'needs a pinHash too' }];
    return pin === duress
      ? [{ index, field: 'duressPinHash', problem: 'must differ from pinHash' }]
      : [];
  });
}
