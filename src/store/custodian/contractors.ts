import { KeywardenError } from '../../errors.js';
import { addCredential } from './credentials.js';
import { grant } from './grants.js';
import { addHolder } from './holders.js';
import { keyFields } from './keys.js';
import type { ChangeScope } from './scope.js';

/** A contractor as the console's one form gives them; every value already checked (src/app). */
export interface ContractorSpec {
  name: string;
  company: string;
  /** The card as cleaned. */
  card: string;
  keyIds: number[];
  keySetId: number | null;
  validFrom: string | null;
  validUntil: string;
}

export interface ContractorAdded {
  holderId: number;
  credentialId: number;
  /** The slots granted for the keys named (each key's home slot). */
  slots: number[];
}

/**
 * The holder, their card and their permissions, all bounded by the same window, in one
 * transaction: any refusal (a card already enrolled, a key without a home slot, no such key
 * set) leaves nothing behind. Each part records its own audited event, as when added one by
 * one, so the log and the central server see the usual facts.
 */
export function addContractor(scope: ChangeScope, spec: ContractorSpec): ContractorAdded {
  const bounds = { validFrom: spec.validFrom, validUntil: spec.validUntil };
  return scope.db
    .transaction(() => {
      const holderId = addHolder(scope, spec.name, { ...bounds, company: spec.company });
      const credentialId = addCredential(scope, holderId, spec.card, bounds);
      const slots: number[] = [];
      for (const keyId of spec.keyIds) {
        const key = keyFields(scope, keyId);
        if (key.homeSlot === null) {
          throw new KeywardenError('USAGE', `key ${keyId} ("${key.label}") has no home slot`);
        }
        grant(scope, { holderId, slot: key.homeSlot, ...bounds });
        slots.push(key.homeSlot);
      }
      if (spec.keySetId !== null) grant(scope, { holderId, keySetId: spec.keySetId, ...bounds });
      return { holderId, credentialId, slots };
    })
    .immediate();
}
