import { describe, expect, it } from 'vitest';
import { ensureSlots } from '../../src/store/slots.js';
import type { Database } from '../../src/store/database.js';
import { VALIDITY_ENDS_SQL } from '../../src/store/policy-lookups.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();
const TABLES = ['holders', 'credentials', 'permissions', 'policy_grants'];

/** SQLite's plan for the tick's validity-end lookup, one line per step. */
function plan(db: Database): string[] {
  const rows = db
    .prepare(`EXPLAIN QUERY PLAN ${VALIDITY_ENDS_SQL}`)
    .all({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T00:00:01.000Z' }) as Array<{
    detail: string;
  }>;
  return rows.map((r) => r.detail);
}

/**
 * The lookup runs every 100 ms tick. A full scan of any of its tables would cost milliseconds
 * at 100,000 holders and hold up a badge that arrives during it (bench/ badge-latency).
 */
describe('the validity-end lookup of every tick', () => {
  it('reads each table through an index on valid_until, never by a scan', () => {
    const { db } = temp.open();
    const steps = plan(db);
    for (const table of TABLES) {
      expect(steps, table).not.toContainEqual(
        expect.stringMatching(new RegExp(`^SCAN ${table}\\b`)),
      );
      expect(steps, table).toContainEqual(
        expect.stringMatching(
          new RegExp(`^SEARCH ${table} USING INDEX \\w+ \\(valid_until>\\? AND valid_until<\\?\\)`),
        ),
      );
    }
  });

  it('still does once the planner has statistics of a large, mostly unbounded table', () => {
    const { db } = temp.open();
    ensureSlots(db, 1);
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
      INSERT INTO holders (id, name, created_at) SELECT i, 'H' || i, '2026-01-01T00:00:00.000Z' FROM n;
      INSERT INTO permissions (holder_id, slot, created_at)
        SELECT id, 1, '2026-01-01T00:00:00.000Z' FROM holders;
      ANALYZE;`);
    const steps = plan(db);
    for (const table of TABLES) {
      expect(steps, table).not.toContainEqual(
        expect.stringMatching(new RegExp(`^SCAN ${table}\\b`)),
      );
    }
  });
});
