import type { Database, Statement } from 'better-sqlite3';

/** A holder named by an HR reference, retired ones included (so an import row can say so). */
export interface HolderRef {
  id: number;
  name: string;
  retired: boolean;
}

export interface HolderRecord {
  id: number;
  name: string;
  enabled: number;
  valid_from: string | null;
  valid_until: string | null;
  max_keys_out: number | null;
}

export interface CredentialRecord {
  id: number;
  holder_id: number;
  enabled: number;
  valid_from: string | null;
  valid_until: string | null;
  pin_required: number;
}

export interface PermissionRecord {
  valid_from: string | null;
  valid_until: string | null;
  max_loan_minutes: number | null;
}

export interface NewHolderRow {
  name: string;
  enabled: boolean;
  validFrom: string | null;
  validUntil: string | null;
  maxKeysOut: number | null;
  hrRef: string;
}

export interface NewCredentialRow {
  holderId: number;
  card: string;
  enabled: boolean;
  validFrom: string | null;
  validUntil: string | null;
  pinRequired: boolean;
}

export interface NewPermissionRow {
  holderId: number;
  slot: number;
  validFrom: string | null;
  validUntil: string | null;
  maxLoanMinutes: number | null;
}

/**
 * The rows the CSV imports and exports (src/import) read and write, keyed by HR reference.
 * Built once per import run, so its statements are prepared once for every row; the writes are
 * called inside the import's transaction, which records their events.
 */
export class ImportRecords {
  private readonly stmts: Record<
    | 'holderByRef'
    | 'holder'
    | 'insertHolder'
    | 'disableHolder'
    | 'credentialByCard'
    | 'insertCredential'
    | 'slot'
    | 'permission'
    | 'insertPermission',
    Statement
  >;

  constructor(private readonly db: Database) {
    this.stmts = {
      holderByRef: db.prepare('SELECT id, name, retired FROM holders WHERE hr_ref = ?'),
      holder: db.prepare(
        'SELECT id, name, enabled, valid_from, valid_until, max_keys_out FROM holders WHERE id = ?',
      ),
      insertHolder: db.prepare(
        `INSERT INTO holders (name, enabled, valid_from, valid_until, max_keys_out, hr_ref, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      disableHolder: db.prepare('UPDATE holders SET enabled = 0 WHERE id = ?'),
      credentialByCard: db.prepare(
        'SELECT id, holder_id, enabled, valid_from, valid_until, pin_required FROM credentials WHERE card = ?',
      ),
      insertCredential: db.prepare(
        `INSERT INTO credentials (holder_id, card, enabled, valid_from, valid_until, pin_required, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      slot: db.prepare('SELECT 1 FROM slots WHERE number = ?'),
      permission: db.prepare(
        'SELECT valid_from, valid_until, max_loan_minutes FROM permissions WHERE holder_id = ? AND slot = ?',
      ),
      insertPermission: db.prepare(
        `INSERT INTO permissions (holder_id, slot, valid_from, valid_until, max_loan_minutes, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  holderByRef(ref: string): HolderRef | undefined {
    const row = this.stmts.holderByRef.get(ref) as
      { id: number; name: string; retired: number } | undefined;
    return row && { id: row.id, name: row.name, retired: row.retired === 1 };
  }

  /** A holder that holderByRef found in the same transaction (so it exists). */
  holder(id: number): HolderRecord {
    return this.stmts.holder.get(id) as HolderRecord;
  }

  /** Returns the new holder's id. */
  insertHolder(h: NewHolderRow, at: string): number {
    const { lastInsertRowid } = this.stmts.insertHolder.run(
      h.name,
      h.enabled ? 1 : 0,
      h.validFrom,
      h.validUntil,
      h.maxKeysOut,
      h.hrRef,
      at,
    );
    return Number(lastInsertRowid);
  }

  disableHolder(id: number): void {
    this.stmts.disableHolder.run(id);
  }

  credentialByCard(card: string): CredentialRecord | undefined {
    return this.stmts.credentialByCard.get(card) as CredentialRecord | undefined;
  }

  /** Returns the new credential's id. */
  insertCredential(c: NewCredentialRow, at: string): number {
    const { lastInsertRowid } = this.stmts.insertCredential.run(
      c.holderId,
      c.card,
      c.enabled ? 1 : 0,
      c.validFrom,
      c.validUntil,
      c.pinRequired ? 1 : 0,
      at,
    );
    return Number(lastInsertRowid);
  }

  slotExists(slot: number): boolean {
    return this.stmts.slot.get(slot) !== undefined;
  }

  permission(holderId: number, slot: number): PermissionRecord | undefined {
    return this.stmts.permission.get(holderId, slot) as PermissionRecord | undefined;
  }

  insertPermission(p: NewPermissionRow, at: string): void {
    this.stmts.insertPermission.run(
      p.holderId,
      p.slot,
      p.validFrom,
      p.validUntil,
      p.maxLoanMinutes,
      at,
    );
  }

  /** The export rows, in the CSV's column order: only holders with an HR reference. */
  holderRows(): unknown[][] {
    return this.db
      .prepare(
        `SELECT hr_ref, name, enabled, valid_from, valid_until, max_keys_out FROM holders
            WHERE retired = 0 AND hr_ref IS NOT NULL ORDER BY hr_ref`,
      )
      .raw()
      .all() as unknown[][];
  }

  /** Full card numbers: the caller masks them unless asked not to. */
  credentialRows(): unknown[][] {
    return this.db
      .prepare(
        `SELECT h.hr_ref, c.card, c.enabled, c.valid_from, c.valid_until, c.pin_required
           FROM credentials c JOIN holders h ON h.id = c.holder_id
          WHERE h.retired = 0 AND h.hr_ref IS NOT NULL ORDER BY h.hr_ref, c.card`,
      )
      .raw()
      .all() as unknown[][];
  }

  permissionRows(): unknown[][] {
    return this.db
      .prepare(
        `SELECT h.hr_ref, p.slot, p.valid_from, p.valid_until, p.max_loan_minutes
           FROM permissions p JOIN holders h ON h.id = p.holder_id
          WHERE h.retired = 0 AND h.hr_ref IS NOT NULL ORDER BY h.hr_ref, p.slot`,
      )
      .raw()
      .all() as unknown[][];
  }

  /** Holders an export leaves out: added by hand or by the central server, no HR reference. */
  holdersWithoutRef(): number {
    return this.db
      .prepare('SELECT count(*) FROM holders WHERE retired = 0 AND hr_ref IS NULL')
      .pluck()
      .get() as number;
  }
}
