import { KeywardenError } from '../../errors.js';
import { CUSTODIAN_ROLES, type CustodianRole } from '../custodian-roles.js';

/**
 * A web user's name: what the daemon records their changes under, as `<name>@<delegate>`
 * (src/app/delegate-account.ts), so no `@` of its own: the record reads one way only.
 */
export const ACCOUNT_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export const MIN_PASSWORD_LENGTH = 12;
/** A bound on the work one sign-in asks of the server; no one types more. */
export const MAX_PASSWORD_LENGTH = 256;

/** The words the console shows for each role. */
export const ROLE_LABELS: Record<CustodianRole, string> = {
  admin: 'Administrator',
  custodian: 'Custodian',
  viewer: 'Auditor',
};

export function checkAccountName(account: string, field = 'account'): string {
  if (!ACCOUNT_PATTERN.test(account)) {
    throw new KeywardenError(
      'USAGE',
      `${field} must be 1 to 64 letters, digits or . _ - (no @), not "${account.slice(0, 80)}"; nothing was changed`,
    );
  }
  return account;
}

export function checkRole(role: string, field = 'role'): CustodianRole {
  const found = CUSTODIAN_ROLES.find((r) => r === role);
  if (found === undefined) {
    throw new KeywardenError(
      'USAGE',
      `${field} must be one of ${CUSTODIAN_ROLES.join(', ')}, not "${role.slice(0, 40)}"; nothing was changed`,
    );
  }
  return found;
}

/**
 * Length is what makes a password hard to guess (NIST SP 800-63B): at least 12 characters, any
 * characters, no composition rules. A password that contains the account's own name is the
 * first thing a guesser tries, so it is refused (names of 3 characters or fewer: only an exact
 * match, or every password with "ada" in it would be).
 */
export function checkNewPassword(account: string, password: string, field = 'password'): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new KeywardenError(
      'USAGE',
      `${field} must be at least ${MIN_PASSWORD_LENGTH} characters (it has ${length}); nothing was changed`,
    );
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new KeywardenError(
      'USAGE',
      `${field} must be at most ${MAX_PASSWORD_LENGTH} characters; nothing was changed`,
    );
  }
  const name = account.toLowerCase();
  const lower = password.toLowerCase();
  if (lower === name || (name.length > 3 && lower.includes(name))) {
    throw new KeywardenError(
      'USAGE',
      `${field} must not contain the account's name; nothing was changed`,
    );
  }
}
