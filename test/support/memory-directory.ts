import type { CabinetDirectory } from '../../src/domain/cabinet-directory.js';
import type {
  Credential,
  Holder,
  Key,
  Loan,
  PolicyGrant,
  SlotPermission,
} from '../../src/domain/model.js';

/** The directory over plain arrays, for domain tests. Loans are mutable so scenarios can evolve. */
export class MemoryDirectory implements CabinetDirectory {
  holders: Holder[] = [];
  credentials: Credential[] = [];
  permissions: SlotPermission[] = [];
  keys: Key[] = [];
  loans: Loan[] = [];
  /** Group memberships, as [holderId, groupId] pairs. */
  memberships: Array<[holderId: number, groupId: number]> = [];
  grants: PolicyGrant[] = [];

  credentialByCard(card: string): Credential | undefined {
    return this.credentials.find((c) => c.card === card);
  }
  holder(id: number): Holder | undefined {
    return this.holders.find((h) => h.id === id);
  }
  permissionsOf(holderId: number): SlotPermission[] {
    return this.permissions.filter((p) => p.holderId === holderId);
  }
  openLoansOf(holderId: number): Loan[] {
    return this.loans.filter((l) => l.holderId === holderId);
  }
  keyByTag(tag: string): Key | undefined {
    return this.keys.find((k) => k.tag === tag);
  }
  keyByHomeSlot(slot: number): Key | undefined {
    return this.keys.find((k) => k.homeSlot === slot);
  }
  openLoanOf(keyId: number): Loan | undefined {
    return this.loans.find((l) => l.keyId === keyId);
  }
  groupsOf(holderId: number): number[] {
    return this.memberships.filter(([h]) => h === holderId).map(([, g]) => g);
  }
  grantsOf(holderId: number): PolicyGrant[] {
    const groups = this.groupsOf(holderId);
    return this.grants.filter((g) =>
      g.subject.kind === 'holder'
        ? g.subject.holderId === holderId
        : groups.includes(g.subject.groupId),
    );
  }
  unreleasableSlots(): number[] {
    return this.keys.filter((k) => (k.state ?? 'active') !== 'active').map((k) => k.homeSlot);
  }
}
