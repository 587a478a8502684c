-- 017: a badge reads its holder's permissions from one index (issue 9).
--
-- Every badge reads all the permissions of its holder (src/store/sqlite-directory.ts,
-- permissionsOf). Through the UNIQUE (holder_id, slot) index each row then cost a second
-- descent, into the table by rowid, on a page of its own: 136 µs p50 (p99 377) at 100,000
-- holders with the caches as cold as the badge benchmark leaves them, against 35 µs (p99 255)
-- from an index that holds every column the lookup reads. The read names this index (INDEXED
-- BY): without statistics SQLite's planner keeps choosing the UNIQUE one.
--
-- The cost is one more index to write per permission: measured by the permission-sync
-- benchmark (bench/README.md).
CREATE INDEX permissions_of_holder
  ON permissions(holder_id, slot, valid_from, valid_until, max_loan_minutes);
