-- 003: the central server's permission sync (src/store/permission-sync.ts).
--
-- The server sends the complete set of holders, credentials, keys and permissions with a
-- version; the cabinet applies it in one transaction. Its ids become our primary keys, so the
-- first full sync replaces whatever a custodian entered locally.
--
-- What a sync removes may still be named by loans, open or returned (the audit trail), and
-- loans refer to holders and keys by foreign key. Decisions:
--   * A removed holder without loans is deleted. With loans it is retired: kept for the
--     history, disabled, hidden from the custodian's lists (retired = 1). Its credentials and
--     permissions are not in the new set, so they are deleted: none of its badges opens
--     anything. A later set that names the same id brings it back (counted as added).
--   * A removed key without loans is deleted. With returned loans only it is retired and
--     vacated: state 'retired', tag and home slot cleared (the tag is kept in retired_tag), so
--     another key may take its slot and its fob reads as unknown. A removed key that is out on
--     loan is retired but keeps its tag and home slot until it comes back, so the return is
--     recorded like any other; the trigger below vacates it then. Until that return, a set
--     giving its tag or slot to another key is refused, naming the key that must come back.
--   * Credentials and permissions are never referenced: a removed one is deleted.
--
-- Runs with foreign keys deferred: rebuilding keys drops the table loans refers to, which
-- counts as a violation until the same ids are back; the migration's commit checks they are.
PRAGMA defer_foreign_keys = ON;

-- The version of the set in force; 0 until the first sync. One row, always.
CREATE TABLE sync_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  version    INTEGER NOT NULL CHECK (version >= 0),
  applied_at TEXT                                   -- ISO 8601 UTC of the last sync
);
INSERT INTO sync_state (id, version, applied_at) VALUES (1, 0, NULL);

ALTER TABLE holders ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));

-- keys is rebuilt because 001 made tag and home_slot NOT NULL: a retired key must be able to
-- give them up. Active keys (state other than 'retired') always have both; the sync and the
-- custodian store write them. No CHECK says so because a sync that swaps two keys' slots
-- parks both keys (tag and slot NULL) for a moment inside its transaction.
-- The guard stops this migration rather than silently dropping a column a migration before it
-- added to keys: update the column lists below if it fires.
CREATE TEMP TABLE guard_003 (
  ok INTEGER CONSTRAINT keys_has_exactly_the_columns_003_copies CHECK (ok = 1)
);
INSERT INTO guard_003 SELECT count(*) = 8 FROM pragma_table_info('keys');
DROP TABLE guard_003;

CREATE TABLE keys_before_003 AS SELECT * FROM keys;
DROP TABLE keys;
CREATE TABLE keys (
  id               INTEGER PRIMARY KEY,
  tag              TEXT    UNIQUE,                -- fob tag, upper-case hex; NULL once vacated
  label            TEXT    NOT NULL,              -- need not reveal the lock it opens
  home_slot        INTEGER UNIQUE REFERENCES slots(number),  -- NULL once vacated
  tier             TEXT,                          -- grand_master | master | sub_master | change
  state            TEXT    NOT NULL DEFAULT 'active',  -- active | lost | stolen | retired
  max_loan_minutes INTEGER,
  retired_tag      TEXT,                          -- the tag a vacated key had
  created_at       TEXT    NOT NULL
);
INSERT INTO keys (id, tag, label, home_slot, tier, state, max_loan_minutes, created_at)
  SELECT id, tag, label, home_slot, tier, state, max_loan_minutes, created_at FROM keys_before_003;
DROP TABLE keys_before_003;

-- A retired key that comes back gives up its tag and slot (see above).
CREATE TRIGGER keys_vacate_retired_on_return
AFTER UPDATE OF returned_at ON loans
WHEN OLD.returned_at IS NULL AND NEW.returned_at IS NOT NULL
BEGIN
  UPDATE keys SET retired_tag = tag, tag = NULL, home_slot = NULL
   WHERE id = NEW.key_id AND state = 'retired' AND tag IS NOT NULL;
END;

-- "Has this holder or key any loan?" decides delete or retire, and SQLite's own foreign-key
-- check on each delete asks the same: without these it scans the whole loan history per row.
CREATE INDEX loans_holder ON loans(holder_id);
CREATE INDEX loans_key ON loans(key_id);

-- The UNIQUE (holder_id, slot) index already serves lookups by holder_id; this duplicate made
-- every permission write (200,000 in a large sync) maintain two indexes.
DROP INDEX permissions_holder;
