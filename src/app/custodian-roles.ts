/** The roles, least first. Imports nothing: the config's schema names them too. */
export const CUSTODIAN_ROLES = ['viewer', 'custodian', 'admin'] as const;

/**
 * What a custodian account may do, each role everything the one before it may, and more:
 * a viewer reads listings and reports; a custodian also changes the records; an admin also
 * changes the tier rules and exports full card numbers.
 */
export type CustodianRole = (typeof CUSTODIAN_ROLES)[number];

/** An authenticated custodian: the account every change is recorded under, and its role. */
export interface CustodianAccount {
  account: string;
  role: CustodianRole;
}

export function roleAllows(role: CustodianRole, needed: CustodianRole): boolean {
  return CUSTODIAN_ROLES.indexOf(role) >= CUSTODIAN_ROLES.indexOf(needed);
}
