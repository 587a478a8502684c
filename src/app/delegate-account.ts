import { KeywardenError } from '../errors.js';
import { CUSTODIAN_ROLES, type CustodianAccount, type CustodianRole } from './custodian-roles.js';

/**
 * A person a delegate acts for (a user signed in to the web console): no `@`, so the account a
 * change is recorded under, `<person>@<delegate>`, reads one way only and can never be taken for
 * a custodian's own account or another delegate's user.
 */
export const PERSON_ACCOUNT_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Who a delegate's request acts as: the person it names, recorded as `<person>@<delegate>` (the
 * web user alice through the delegate account web-console is `alice@web-console`), with the
 * lesser of the two roles, so a delegate never lends more than it holds and a person never gets
 * more than the web console gave them. `person` comes from a request as JSON: every field is
 * checked and named when wrong (USAGE).
 */
export function actingFor(delegate: CustodianAccount, person: unknown): CustodianAccount {
  if (typeof person !== 'object' || person === null || Array.isArray(person)) {
    throw new KeywardenError('USAGE', 'as must be an object: {"account": ..., "role": ...}');
  }
  const extra = Object.keys(person).filter((key) => key !== 'account' && key !== 'role');
  if (extra.length > 0) {
    throw new KeywardenError('USAGE', `as has only account and role, not ${extra.join(', ')}`);
  }
  const { account, role } = person as Record<string, unknown>;
  if (typeof account !== 'string' || !PERSON_ACCOUNT_PATTERN.test(account)) {
    throw new KeywardenError(
      'USAGE',
      `as.account must be 1-64 characters from A-Z a-z 0-9 _ . - (no @), not ${JSON.stringify(account)}`,
    );
  }
  if (typeof role !== 'string' || !(CUSTODIAN_ROLES as readonly string[]).includes(role)) {
    throw new KeywardenError(
      'USAGE',
      `as.role must be one of ${CUSTODIAN_ROLES.join(', ')}, not ${JSON.stringify(role)}`,
    );
  }
  return {
    account: `${account}@${delegate.account}`,
    role: lesserRole(delegate.role, role as CustodianRole),
  };
}

export function lesserRole(a: CustodianRole, b: CustodianRole): CustodianRole {
  return CUSTODIAN_ROLES.indexOf(a) <= CUSTODIAN_ROLES.indexOf(b) ? a : b;
}
