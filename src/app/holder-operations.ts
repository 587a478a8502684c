import { KeywardenError } from '../errors.js';
import * as credentials from '../store/custodian/credentials.js';
import * as holders from '../store/custodian/holders.js';
import { searchHolders } from '../store/custodian/holder-search.js';
import * as pins from '../store/custodian/pins.js';
import * as pinFailures from '../store/custodian/pin-failures.js';
import { pinPepperOf } from '../store/pin-pepper.js';
import type { ChangeScope } from '../store/custodian/scope.js';
import { bound } from './bound.js';
import { checkedInput } from './checked-input.js';
import { cleanCard } from './custodian-rules.js';
import { checkNewPin, checkPinFormat, checkPinRequirable } from './pin-rules.js';
import { checkNotEnded, checkOrder, freeText, name as checkName } from './values.js';
import { checkedSearch, type HolderSearchInput } from './holder-search-input.js';

export type { CredentialFields } from '../store/custodian/credentials.js';
export type { HolderFields } from '../store/custodian/holders.js';

type Bounds = { validFrom?: string | null; validUntil?: string | null };

/** A validity to be added: in order, and not over already (it could never be used). */
function checkNewBounds(scope: ChangeScope, bounds: Bounds, what: string): void {
  checkOrder(bounds.validFrom ?? null, bounds.validUntil ?? null);
  checkNotEnded(bounds.validUntil ?? null, scope.now(), what);
}

/** A change may move one end of a validity: the record as it becomes must still be in order. */
const inOrder = (after: { validFrom: string | null; validUntil: string | null }) =>
  checkOrder(after.validFrom, after.validUntil);

/** A company: free text, or null for none. */
function company(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw new KeywardenError('USAGE', 'company must be text or null');
  return freeText(value, 'a company');
}

/** The people: holders, their cards and the cards' PINs. */
export function holderOperations(s: ChangeScope) {
  return {
    holders: {
      add: (name: string, options: holders.HolderOptions = {}) => {
        const checked = checkedInput(options);
        if (checked.company !== undefined) checked.company = company(checked.company);
        const clean = checkName(name, 'a holder name');
        checkNewBounds(s, checked, 'a holder');
        return holders.addHolder(s, clean, checked);
      },
      list: bound(s, holders.listHolders),
      /**
       * A page of holders matching a search and filters, in name order, with how many match:
       * the console's people page (fast at 100,000 holders: one indexed statement).
       */
      search: (search: HolderSearchInput = {}) =>
        searchHolders(s.db, { ...checkedSearch(search), now: s.now().toISOString() }),
      show: bound(s, holders.showHolder),
      /** Says which keys the holder still has out: they are not taken back by disabling. */
      disable: bound(s, holders.disableHolder),
      enable: bound(s, holders.enableHolder),
      update: (id: number, patch: Partial<holders.HolderFields>) => {
        const checked = checkedInput(patch, [
          'name',
          'enabled',
          'validFrom',
          'validUntil',
          'maxKeysOut',
          'company',
        ]);
        if (checked.name !== undefined) checked.name = checkName(checked.name, 'a holder name');
        if (checked.company !== undefined) checked.company = company(checked.company);
        return holders.updateHolder(s, id, checked, inOrder);
      },
    },
    credentials: {
      add: (holderId: number, card: string, options: Bounds = {}) => {
        const checked = checkedInput(options);
        const clean = cleanCard(card);
        checkNewBounds(s, checked, 'a card');
        return credentials.addCredential(s, holderId, clean, checked);
      },
      update: (id: number, patch: Parameters<typeof credentials.updateCredential>[2]) =>
        credentials.updateCredential(
          s,
          id,
          checkedInput(patch, ['enabled', 'validFrom', 'validUntil']),
          inOrder,
        ),
      list: bound(s, credentials.listCredentials),
    },
    pins: {
      state: bound(s, pins.pinState),
      set: async (
        credentialId: number,
        kind: 'pin' | 'duress',
        pin: string,
        required?: boolean,
      ): Promise<void> => {
        checkPinFormat(pin);
        const stored = pins.pinRow(s, credentialId);
        await checkNewPin(stored, credentialId, kind, pin, pinPepperOf(s.db));
        return pins.setPin(s, credentialId, kind, pin, required);
      },
      setRequired: (credentialId: number, required: boolean) => {
        checkPinRequirable(pins.pinRow(s, credentialId), credentialId, required);
        return pins.setPinRequired(s, credentialId, required);
      },
      clear: bound(s, pins.clearPin),
      /** Wrong PINs in a row; at `lockout.maxWrongPins` the card is refused until reset. */
      wrongPins: bound(s, pinFailures.wrongPins),
      /** Ends a lock after too many wrong PINs (`pin.reset` in the actor's name); the count before. */
      resetWrongPins: bound(s, pinFailures.resetWrongPins),
    },
  };
}
