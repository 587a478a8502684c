import { DEFAULT_PIN_COST, hashPin } from '../pin-hash.js';
import { pinPepperOf } from '../pin-pepper.js';
import { change, notFound, policyChanged, type ChangeScope } from './scope.js';

/**
 * A credential's PIN settings. Only peppered scrypt hashes are stored (src/store/pin-hash.ts),
 * and the audit event says only whether each is set: never the PIN, never the hash. PINs are
 * not part of the central server's set, so they may be changed on a synced cabinet.
 */
export interface PinState {
  pin: boolean;
  duressPin: boolean;
  pinRequired: boolean;
}

/** The stored hashes (null: not set), for the rules that compare a new PIN with them. */
export interface PinRow {
  pin_hash: string | null;
  duress_pin_hash: string | null;
  pin_required: number;
}

export function pinRow(scope: Pick<ChangeScope, 'db'>, credentialId: number): PinRow {
  const row = scope.db
    .prepare('SELECT pin_hash, duress_pin_hash, pin_required FROM credentials WHERE id = ?')
    .get(credentialId) as PinRow | undefined;
  if (!row) throw notFound('credential', credentialId);
  return row;
}

const stateOf = (row: PinRow): PinState => ({
  pin: row.pin_hash !== null,
  duressPin: row.duress_pin_hash !== null,
  pinRequired: row.pin_required === 1,
});

export function pinState(scope: Pick<ChangeScope, 'db'>, credentialId: number): PinState {
  return stateOf(pinRow(scope, credentialId));
}

function write(scope: ChangeScope, credentialId: number, next: PinRow): boolean {
  return change(
    scope,
    () => {
      const before = stateOf(pinRow(scope, credentialId));
      scope.db
        .prepare(
          'UPDATE credentials SET pin_hash = ?, duress_pin_hash = ?, pin_required = ? WHERE id = ?',
        )
        .run(next.pin_hash, next.duress_pin_hash, next.pin_required, credentialId);
      // The whole state, not a difference: a PIN replaced by another shows the same flags
      // before and after, and is still a change to audit.
      return {
        result: true,
        events: [policyChanged(scope, 'pin', credentialId, { ...before }, { ...stateOf(next) })],
      };
    },
    { centralData: false },
  );
}

/**
 * Sets the PIN (or the duress PIN), as the app's rules allow (src/app/pin-rules.ts). `required`
 * also sets whether every badge asks for the PIN.
 */
export async function setPin(
  scope: ChangeScope,
  credentialId: number,
  kind: 'pin' | 'duress',
  pin: string,
  required?: boolean,
): Promise<void> {
  const hash = await hashPin(pin, DEFAULT_PIN_COST, pinPepperOf(scope.db));
  const current = pinRow(scope, credentialId);
  write(scope, credentialId, {
    pin_hash: kind === 'pin' ? hash : current.pin_hash,
    duress_pin_hash: kind === 'duress' ? hash : current.duress_pin_hash,
    pin_required: required === undefined ? current.pin_required : required ? 1 : 0,
  });
}

/** Whether every badge of the credential asks for its PIN; false when already so. */
export function setPinRequired(
  scope: ChangeScope,
  credentialId: number,
  required: boolean,
): boolean {
  const row = pinRow(scope, credentialId);
  if ((row.pin_required === 1) === required) return false;
  return write(scope, credentialId, { ...row, pin_required: required ? 1 : 0 });
}

/** Removes the PIN and the duress PIN; no longer required. False when there was none. */
export function clearPin(scope: ChangeScope, credentialId: number): boolean {
  const row = pinRow(scope, credentialId);
  if (row.pin_hash === null && row.duress_pin_hash === null && row.pin_required === 0) return false;
  return write(scope, credentialId, { pin_hash: null, duress_pin_hash: null, pin_required: 0 });
}
