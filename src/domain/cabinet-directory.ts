import type { Credential, Holder, Key, Loan, SlotPermission } from './model.js';

/**
 * The read-only facts the cabinet flow looks up while it decides. The store implements it over
 * SQLite; tests implement it over arrays. Reads are synchronous so a step stays one atomic,
 * deterministic function of (state, input, directory).
 */
export interface CabinetDirectory {
  credentialByCard(card: string): Credential | undefined;
  holder(id: number): Holder | undefined;
  permissionsOf(holderId: number): SlotPermission[];
  openLoansOf(holderId: number): Loan[];
  keyByTag(tag: string): Key | undefined;
  keyByHomeSlot(slot: number): Key | undefined;
  openLoanOf(keyId: number): Loan | undefined;
}
