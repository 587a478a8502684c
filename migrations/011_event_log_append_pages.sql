-- 011: fewer pages written per recorded event (issue 9: a badge's commit, fsync'd before the
-- solenoid moves, wrote about 4.4 WAL pages where a bare commit writes 1.3).
--
-- events is rebuilt without AUTOINCREMENT. AUTOINCREMENT kept the highest seq ever used in
-- sqlite_sequence, one more page written by every append, so that a number is never reused
-- after rows are deleted. The log needs no such record: the only deletion is pruning, and the
-- pruning trigger (002, kept below) never deletes the newest event, so max(seq) + 1 is always a
-- number never used before (src/store/event-log.ts takes it from the newest row, as the hash
-- chain already did). Every row, its seq, hash and published_at are copied as they are.
--
-- The guard stops this migration rather than silently dropping a column a migration before it
-- added to events: update the column lists below if it fires.
CREATE TEMP TABLE guard_011 (
  ok INTEGER CONSTRAINT events_has_exactly_the_columns_011_copies CHECK (ok = 1)
);
INSERT INTO guard_011 SELECT count(*) = 7 FROM pragma_table_info('events');
DROP TABLE guard_011;

CREATE TABLE events_011 (
  seq          INTEGER PRIMARY KEY,       -- never reused: see above
  id           TEXT    NOT NULL UNIQUE,   -- time-ordered UUID (version 7) since 011
  type         TEXT    NOT NULL,
  time         TEXT    NOT NULL,
  payload      TEXT    NOT NULL,          -- the JSON published, byte for byte
  published_at TEXT,                      -- broker acknowledged (QoS 1 PUBACK)
  hash         TEXT
);
INSERT INTO events_011 (seq, id, type, time, payload, published_at, hash)
  SELECT seq, id, type, time, payload, published_at, hash FROM events ORDER BY seq;
-- Takes its indexes and triggers with it (recreated below); triggers do not fire on a DROP.
DROP TABLE events;
ALTER TABLE events_011 RENAME TO events;
DELETE FROM sqlite_sequence WHERE name = 'events';

CREATE INDEX events_unpublished ON events(seq) WHERE published_at IS NULL;
CREATE INDEX events_lockouts ON events(seq)
  WHERE type IN ('lockout.started', 'lockout.ended', 'lockout.cleared');

CREATE TRIGGER events_append_only
BEFORE UPDATE OF seq, id, type, time, payload, hash ON events
BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;

CREATE TRIGGER events_prune_only_acknowledged
BEFORE DELETE ON events
WHEN old.seq > (SELECT acked_seq FROM delivery_state WHERE id = 1)
  OR old.seq = (SELECT max(seq) FROM events)
BEGIN
  SELECT RAISE(ABORT, 'only events acknowledged by the central server may be pruned, never the newest');
END;
