import type { Database } from '../database.js';

export interface WebAccountEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  account: string;
  detail: Record<string, unknown> | null;
}

/** The append-only record of changes to the console's accounts (who, what, when). */
export class WebAccountEvents {
  constructor(private readonly db: Database) {}

  append(event: Omit<WebAccountEvent, 'id'>): void {
    this.db
      .prepare(
        'INSERT INTO web_account_events (at, actor, action, account, detail) VALUES (?, ?, ?, ?, ?)',
      )
      .run(
        event.at,
        event.actor,
        event.action,
        event.account,
        event.detail === null ? null : JSON.stringify(event.detail),
      );
  }

  /** The newest first, at most `limit`, of one account or of all. */
  recent(limit: number, account?: string): WebAccountEvent[] {
    const rows = (
      account === undefined
        ? this.db.prepare('SELECT * FROM web_account_events ORDER BY id DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM web_account_events WHERE account = ? ORDER BY id DESC LIMIT ?')
            .all(account, limit)
    ) as (Omit<WebAccountEvent, 'detail'> & { detail: string | null })[];
    return rows.map((row) => ({
      ...row,
      detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
    }));
  }
}
