import { acknowledgeAlarm, activeAlarms } from '../store/custodian/alarms.js';
import { addContractor, type ContractorSpec } from '../store/custodian/contractors.js';
import type { ChangeScope } from '../store/custodian/scope.js';
import { KeywardenError } from '../errors.js';
import { checkedInput } from './checked-input.js';
import { cleanCard } from './custodian-rules.js';
import { checkNotEnded, checkOrder, freeText, name as checkName } from './values.js';

export type { ActiveAlarmRow } from '../store/custodian/alarms.js';
export type { ContractorAdded } from '../store/custodian/contractors.js';

/** What the console's contractor form sends, as JSON carries it. */
export interface ContractorInput {
  name: string;
  company: string;
  card: string;
  keyIds?: number[];
  keySetId?: number | null;
  validFrom?: string | null;
  validUntil: string;
}

/** The most keys one contractor form may name: a cabinet's worth. */
const MAX_CONTRACTOR_KEYS = 200;

const usage = (message: string) => new KeywardenError('USAGE', message);

function checkedId(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw usage(`${field} must be a whole number of at least 1, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** The alarms in force and their acknowledgement; a contractor in one step. */
export function consoleOperations(s: ChangeScope) {
  return {
    alarms: {
      /** In force now (since the daemon's last start, not cleared), newest first. */
      active: () => activeAlarms(s.db),
      /**
       * Records `alarm.acknowledged` naming the actor, with the note: what they saw or did. The
       * alarm stays in force until the cabinet clears it.
       */
      acknowledge: (alarmSeq: number, note: string): void => {
        const seq = checkedId(alarmSeq, 'alarmSeq');
        const text = freeText(typeof note === 'string' ? note : '', 'a note', 500);
        acknowledgeAlarm(s, seq, text);
      },
    },
    contractors: {
      /**
       * Holder (with company), card and permissions on the keys and key set named, all valid
       * from–until, in one transaction: all or nothing. The end is required: a contractor's
       * access ends by itself.
       */
      add: (input: ContractorInput) => {
        if (typeof input !== 'object' || input === null) throw usage('expected a contractor');
        const bounds = checkedInput({
          validFrom: input.validFrom ?? null,
          validUntil: input.validUntil,
        });
        if (typeof bounds.validUntil !== 'string') {
          throw usage('validUntil is required: a contractor’s access ends by itself');
        }
        checkOrder(bounds.validFrom, bounds.validUntil);
        checkNotEnded(bounds.validUntil, s.now(), 'a contractor');
        const keyIds = input.keyIds ?? [];
        if (!Array.isArray(keyIds) || keyIds.length > MAX_CONTRACTOR_KEYS) {
          throw usage(`keyIds must be a list of at most ${MAX_CONTRACTOR_KEYS} key ids`);
        }
        const keySetId =
          input.keySetId === undefined || input.keySetId === null
            ? null
            : checkedId(input.keySetId, 'keySetId');
        const ids = [...new Set(keyIds.map((id, i) => checkedId(id, `keyIds[${i}]`)))];
        if (ids.length === 0 && keySetId === null) {
          throw usage('keyIds or keySetId: name the keys the contractor may take');
        }
        const spec: ContractorSpec = {
          name: checkName(typeof input.name === 'string' ? input.name : '', 'a name'),
          company: freeText(typeof input.company === 'string' ? input.company : '', 'a company'),
          card: cleanCard(typeof input.card === 'string' ? input.card : ''),
          keyIds: ids,
          keySetId,
          validFrom: bounds.validFrom,
          validUntil: bounds.validUntil,
        };
        return addContractor(s, spec);
      },
    },
  };
}
