import type { Database, Statement } from 'better-sqlite3';

const caches = new WeakMap<Database, Map<string, Statement>>();

/**
 * The connection's prepared statement for `sql`, compiled on first use and kept for the
 * connection's life. better-sqlite3 compiles the SQL again at every `prepare()`, which costs
 * more than running a small indexed query; code that runs on every badge, key or tick and has
 * no constructor to prepare in asks here instead. Keyed by the SQL text, so only pass fixed
 * strings (never SQL built from values), and do not change a cached statement's modes
 * (`pluck`, `raw`, `expand`): every caller of the same text shares it.
 */
export function cachedStatement(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
