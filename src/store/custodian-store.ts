import type { Database } from 'better-sqlite3';
import type { Actor, NewEvent } from '../domain/events.js';
import { KeywardenError } from '../errors.js';
import { maskCard } from '../log/mask-card.js';
import type { EventLog } from './event-log.js';
import { currentSyncVersion } from './permission-sync.js';

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

const TAG_PATTERN = /^[0-9A-F]{4,32}$/;

/**
 * The custodian's changes. Each one writes its record and its event in one transaction, so
 * the daemon (sharing the database file) publishes every grant and revocation, and a change
 * that fails leaves nothing behind.
 */
export class CustodianStore {
  constructor(
    private readonly db: Database,
    private readonly log: EventLog,
    private readonly actor: Actor,
    private readonly now: () => Date = () => new Date(),
  ) {}

  addHolder(name: string): number {
    const clean = name.trim();
    if (clean.length === 0 || clean.length > 200) {
      throw new KeywardenError('USAGE', 'a holder name must be 1 to 200 characters');
    }
    return this.change(() => {
      const id = Number(
        this.db
          .prepare('INSERT INTO holders (name, created_at) VALUES (?, ?)')
          .run(clean, this.stamp()).lastInsertRowid,
      );
      return {
        result: id,
        event: { type: 'holder.added', data: { actor: this.actor, holderId: id, name: clean } },
      };
    });
  }

  disableHolder(holderId: number): boolean {
    return this.change(() => {
      const holder = this.requireHolder(holderId);
      if (!holder.enabled) return { result: false };
      this.db.prepare('UPDATE holders SET enabled = 0 WHERE id = ?').run(holderId);
      return {
        result: true,
        event: {
          type: 'holder.disabled',
          data: { actor: this.actor, holderId, name: holder.name },
        },
      };
    });
  }

  addCredential(holderId: number, card: string): number {
    const clean = card.trim().toUpperCase();
    if (!/^[0-9A-F]{1,20}$/.test(clean)) {
      throw new KeywardenError(
        'USAGE',
        `card "${maskCard(clean)}" must be 1 to 20 decimal or hex digits`,
      );
    }
    return this.change(() => {
      this.requireHolder(holderId);
      const existing = this.db
        .prepare('SELECT holder_id FROM credentials WHERE card = ?')
        .get(clean) as { holder_id: number } | undefined;
      if (existing) {
        throw new KeywardenError(
          'CONFLICT',
          `card ${maskCard(clean)} is already enrolled to holder ${existing.holder_id}`,
        );
      }
      const id = Number(
        this.db
          .prepare('INSERT INTO credentials (holder_id, card, created_at) VALUES (?, ?, ?)')
          .run(holderId, clean, this.stamp()).lastInsertRowid,
      );
      return {
        result: id,
        event: {
          type: 'credential.added',
          data: { actor: this.actor, credentialId: id, holderId, card: maskCard(clean) },
        },
      };
    });
  }

  addKey(tag: string, homeSlot: number, label: string): number {
    const cleanTag = tag.trim().toUpperCase();
    if (!TAG_PATTERN.test(cleanTag))
      throw new KeywardenError('USAGE', `tag "${tag}" must be 4 to 32 hex digits`);
    const cleanLabel = label.trim();
    if (cleanLabel.length === 0) throw new KeywardenError('USAGE', 'a key needs a label');
    return this.change(() => {
      this.requireSlot(homeSlot);
      const bySlot = this.db.prepare('SELECT label FROM keys WHERE home_slot = ?').get(homeSlot) as
        { label: string } | undefined;
      if (bySlot)
        throw new KeywardenError(
          'CONFLICT',
          `slot ${homeSlot} is already the home of key "${bySlot.label}"`,
        );
      if (this.db.prepare('SELECT 1 FROM keys WHERE tag = ?').get(cleanTag)) {
        throw new KeywardenError('CONFLICT', `tag ${cleanTag} is already registered`);
      }
      const id = Number(
        this.db
          .prepare('INSERT INTO keys (tag, label, home_slot, created_at) VALUES (?, ?, ?, ?)')
          .run(cleanTag, cleanLabel, homeSlot, this.stamp()).lastInsertRowid,
      );
      return {
        result: id,
        event: {
          type: 'key.added',
          data: { actor: this.actor, keyId: id, label: cleanLabel, tag: cleanTag, homeSlot },
        },
      };
    });
  }

  grant(holderId: number, slot: number): boolean {
    return this.change(() => {
      this.requireHolder(holderId);
      this.requireSlot(slot);
      const inserted = this.db
        .prepare('INSERT OR IGNORE INTO permissions (holder_id, slot, created_at) VALUES (?, ?, ?)')
        .run(holderId, slot, this.stamp()).changes;
      if (inserted === 0) return { result: false };
      return {
        result: true,
        event: { type: 'permission.granted', data: { actor: this.actor, holderId, slot } },
      };
    });
  }

  revoke(holderId: number, slot: number): boolean {
    return this.change(() => {
      this.requireHolder(holderId);
      const removed = this.db
        .prepare('DELETE FROM permissions WHERE holder_id = ? AND slot = ?')
        .run(holderId, slot).changes;
      if (removed === 0) return { result: false };
      return {
        result: true,
        event: { type: 'permission.revoked', data: { actor: this.actor, holderId, slot } },
      };
    });
  }

  listHolders(): HolderRow[] {
    const rows = this.db
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
    return this.db
      .prepare(
        `SELECT k.id AS keyId, k.label, l.slot, l.holder_id AS holderId, h.name AS holderName, l.out_at AS outAt
           FROM loans l JOIN keys k ON k.id = l.key_id JOIN holders h ON h.id = l.holder_id
          WHERE l.returned_at IS NULL ORDER BY l.out_at`,
      )
      .all() as KeyOutRow[];
  }

  private change<T>(body: () => { result: T; event?: NewEvent }): T {
    return this.db
      .transaction(() => {
        this.refuseWhenManagedCentrally();
        const { result, event } = body();
        if (event) this.log.appendInTransaction([event]);
        return result;
      })
      .immediate();
  }

  /**
   * Once the central server has synced a permission set, it owns holders, cards, keys and
   * permissions: a local change would be overwritten by the next sync, and a locally chosen id
   * could collide with the server's.
   */
  private refuseWhenManagedCentrally(): void {
    const version = currentSyncVersion(this.db);
    if (version > 0) {
      throw new KeywardenError(
        'CONFLICT',
        `this cabinet's permissions are managed by the central server (sync version ${version}); make the change there`,
      );
    }
  }

  private requireHolder(id: number): { name: string; enabled: boolean } {
    const row = this.db.prepare('SELECT name, enabled FROM holders WHERE id = ?').get(id) as
      { name: string; enabled: number } | undefined;
    if (!row) throw new KeywardenError('NOT_FOUND', `no holder with id ${id}`);
    return { name: row.name, enabled: row.enabled === 1 };
  }

  private requireSlot(slot: number): void {
    if (!this.db.prepare('SELECT 1 FROM slots WHERE number = ?').get(slot)) {
      throw new KeywardenError('NOT_FOUND', `no slot ${slot} in this cabinet`);
    }
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}

/** Makes sure slots 1..count exist, so keys and permissions can refer to them. */
export function ensureSlots(db: Database, count: number): void {
  const insert = db.prepare('INSERT OR IGNORE INTO slots (number) VALUES (?)');
  db.transaction(() => {
    for (let n = 1; n <= count; n++) insert.run(n);
  })();
}
