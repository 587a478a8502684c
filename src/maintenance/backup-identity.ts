import type { Database } from 'better-sqlite3';

/**
 * What a backup says about where it came from, in a table of its own that only backups carry
 * (restore drops it): the cabinet, when, from which host, at which schema version.
 */
export const BACKUP_TABLE = 'keywarden_backup';

export const BACKUP_TABLE_SQL =
  `CREATE TABLE ${BACKUP_TABLE} (cabinet_id TEXT NOT NULL, made_at TEXT NOT NULL, ` +
  'host TEXT NOT NULL, schema_version INTEGER NOT NULL)';

export interface BackupIdentity {
  cabinetId: string;
  madeAt: string;
  host: string;
  schemaVersion: number;
}

export function writeBackupIdentity(db: Database, identity: BackupIdentity): void {
  db.exec(BACKUP_TABLE_SQL);
  db.prepare(
    `INSERT INTO ${BACKUP_TABLE} (cabinet_id, made_at, host, schema_version) VALUES (?, ?, ?, ?)`,
  ).run(identity.cabinetId, identity.madeAt, identity.host, identity.schemaVersion);
}
