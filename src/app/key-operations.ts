import { KeywardenError } from '../errors.js';
import * as keySets from '../store/custodian/key-sets.js';
import * as keys from '../store/custodian/keys.js';
import type { ChangeScope } from '../store/custodian/scope.js';
import { slotOverview } from '../store/custodian/slot-overview.js';
import { bound } from './bound.js';
import { checkedInput } from './checked-input.js';
import { cleanTag, requireSlot } from './custodian-rules.js';
import { freeText, name as checkName } from './values.js';

export type { KeyFields, KeyPolicy } from '../store/custodian/keys.js';

const keyLabel = (label: string) => freeText(label, 'a key label');
const KEY_POLICY_FIELDS = ['tier', 'maxLoanMinutes', 'curfewMinute', 'returnPolicy'] as const;

/** The keys, the slots they live in, and the named sets of keys a grant may name. */
export function keyOperations(s: ChangeScope) {
  return {
    keys: {
      add: (tag: string, homeSlot: number, label: string, policy: Partial<keys.KeyPolicy> = {}) => {
        const checked = checkedInput(policy, KEY_POLICY_FIELDS);
        const clean = cleanTag(tag);
        const cleanLabel = keyLabel(label);
        requireSlot(s, homeSlot);
        return keys.addKey(s, clean, homeSlot, cleanLabel, checked);
      },
      update: (id: number, patch: Parameters<typeof keys.updateKey>[2]) => {
        const checked = checkedInput(patch, ['label', 'state', ...KEY_POLICY_FIELDS]);
        if (checked.label !== undefined) checked.label = keyLabel(checked.label);
        return keys.updateKey(s, id, checked);
      },
      /** Lost, stolen, retired or active again: always with the custodian's reason. */
      setState: (id: number, state: keys.KeyFields['state'], reason: string) => {
        // JSON may carry anything: both are required, and named when missing or of the wrong kind.
        const { state: checked } = checkedInput({ state });
        if (checked === undefined) throw new KeywardenError('USAGE', 'state is required');
        if (typeof reason !== 'string') throw new KeywardenError('USAGE', 'reason must be text');
        return keys.setKeyState(s, id, checked, freeText(reason, 'reason'));
      },
      list: bound(s, keys.listKeys),
      out: bound(s, keys.keysOut),
    },
    slots: {
      list: bound(s, keys.listSlots),
      /** Each slot with its key, what hangs there, and who has it out since when, due when. */
      overview: () => slotOverview(s.db),
    },
    keySets: {
      add: (name: string) => keySets.addKeySet(s, checkName(name, 'a key set name')),
      rename: (id: number, name: string) =>
        keySets.renameKeySet(s, id, checkName(name, 'a key set name')),
      remove: bound(s, keySets.removeKeySet),
      addKey: bound(s, keySets.addKeyToSet),
      removeKey: bound(s, keySets.removeKeyFromSet),
      list: bound(s, keySets.listKeySets),
    },
  };
}
