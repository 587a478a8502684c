import type { Database } from 'better-sqlite3';
import type { Actor } from '../domain/events.js';
import { addCredential } from './custodian/credentials.js';
import { addHolder, disableHolder, holderFields, type HolderOptions } from './custodian/holders.js';
import { addKey, requireSlot, type KeyPolicy } from './custodian/keys.js';
import { change, stamp, type ChangeScope } from './custodian/scope.js';
import type { EventLog } from './event-log.js';

export interface HolderRow {
  id: number;
  name: string;
  enabled: boolean;
  cards: number;
  slots: string;
}

export interface KeyOutRow {
  keyId: number;
  label: string;
  slot: number;
  holderId: number;
  holderName: string;
  outAt: string;
}

/**
 * The custodian's changes (the command line, the demo seed). Each one writes its record and its
 * event in one transaction (src/store/custodian/scope.ts), so the daemon, sharing the database
 * file, publishes every change, and a change that fails leaves nothing behind. The changes
 * themselves live in src/store/custodian/, one file per kind of thing.
 */
export class CustodianStore {
  readonly scope: ChangeScope;

  constructor(db: Database, log: EventLog, actor: Actor, now: () => Date = () => new Date()) {
    this.scope = { db, log, actor, now };
  }

  addHolder(name: string, options: HolderOptions = {}): number {
    return addHolder(this.scope, name, options);
  }

  /** True when it changed (false: was already disabled). */
  disableHolder(holderId: number): boolean {
    return disableHolder(this.scope, holderId).changed;
  }

  addCredential(
    holderId: number,
    card: string,
    options: { validFrom?: string | null; validUntil?: string | null } = {},
  ): number {
    return addCredential(this.scope, holderId, card, options);
  }

  addKey(tag: string, homeSlot: number, label: string, policy: Partial<KeyPolicy> = {}): number {
    return addKey(this.scope, tag, homeSlot, label, policy);
  }

  grant(holderId: number, slot: number): boolean {
    const { db, actor } = this.scope;
    return change(this.scope, () => {
      holderFields(this.scope, holderId);
      requireSlot(this.scope, slot);
      const inserted = db
        .prepare('INSERT OR IGNORE INTO permissions (holder_id, slot, created_at) VALUES (?, ?, ?)')
        .run(holderId, slot, stamp(this.scope)).changes;
      if (inserted === 0) return { result: false };
      return {
        result: true,
        events: [{ type: 'permission.granted', data: { actor, holderId, slot } }],
      };
    });
  }

  revoke(holderId: number, slot: number): boolean {
    const { db, actor } = this.scope;
    return change(this.scope, () => {
      holderFields(this.scope, holderId);
      const removed = db
        .prepare('DELETE FROM permissions WHERE holder_id = ? AND slot = ?')
        .run(holderId, slot).changes;
      if (removed === 0) {
        // "was not permitted" would hide a mistyped slot; a permission on a slot the profile
        // no longer has can still be revoked above.
        requireSlot(this.scope, slot);
        return { result: false };
      }
      return {
        result: true,
        events: [{ type: 'permission.revoked', data: { actor, holderId, slot } }],
      };
    });
  }

  listHolders(): HolderRow[] {
    const rows = this.scope.db
      .prepare(
        `SELECT h.id, h.name, h.enabled,
                (SELECT count(*) FROM credentials c WHERE c.holder_id = h.id) AS cards,
                coalesce((SELECT group_concat(slot, ',') FROM (SELECT slot FROM permissions p
                          WHERE p.holder_id = h.id ORDER BY slot)), '') AS slots
           FROM holders h WHERE h.retired = 0 ORDER BY h.id`,
      )
      .all() as Array<Omit<HolderRow, 'enabled'> & { enabled: number }>;
    return rows.map((r) => ({ ...r, enabled: r.enabled === 1 }));
  }

  keysOut(): KeyOutRow[] {
    return this.scope.db
      .prepare(
        `SELECT k.id AS keyId, k.label, l.slot, l.holder_id AS holderId, h.name AS holderName, l.out_at AS outAt
           FROM loans l JOIN keys k ON k.id = l.key_id JOIN holders h ON h.id = l.holder_id
          WHERE l.returned_at IS NULL ORDER BY l.out_at`,
      )
      .all() as KeyOutRow[];
  }
}
