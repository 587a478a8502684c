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

type TransactionMode = 'deferred' | 'immediate';
type Runner = (body: () => unknown) => unknown;
const transactions = new WeakMap<Database, Record<TransactionMode, Runner>>();

/**
 * Runs `body` in a transaction of the connection (a savepoint inside one already open), as
 * `db.transaction(body)[mode]()` does, through one wrapper made once per connection.
 * better-sqlite3 builds four functions and defines their properties at every
 * `db.transaction()`, which costs more than the BEGIN and COMMIT themselves: an immediate
 * transaction reading one row took 6.1 µs at p50 and 11–13 at p99 that way, 2.2 and 3.7 through
 * this (2-core test machine). The runner opens one for every badge and every tick.
 */
export function inTransaction<T>(db: Database, mode: TransactionMode, body: () => T): T {
  let runners = transactions.get(db);
  if (!runners) {
    const run = db.transaction((inner: () => unknown) => inner());
    runners = {
      deferred: (inner) => run.deferred(inner),
      immediate: (inner) => run.immediate(inner),
    };
    transactions.set(db, runners);
  }
  return runners[mode](body) as T;
}
