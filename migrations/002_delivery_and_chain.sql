-- Delivery to the central server and the hash chain.
--
-- The central server acknowledges the highest sequence number it holds without gaps; only
-- events at or below it (and older than the retention period) may be pruned, never on the
-- broker's PUBACK alone, since a broker may lose acknowledged messages when it crashes.

ALTER TABLE events ADD COLUMN hash TEXT;

CREATE TABLE delivery_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  acked_seq  INTEGER NOT NULL DEFAULT 0,
  acked_at   TEXT
);
INSERT INTO delivery_state (id, acked_seq) VALUES (1, 0);

DROP TRIGGER events_append_only;
CREATE TRIGGER events_append_only
BEFORE UPDATE OF seq, id, type, time, payload, hash ON events
BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;

-- Pruning removes only what the central server holds; the newest event always stays, so the
-- chain can continue from its hash.
CREATE TRIGGER events_prune_only_acknowledged
BEFORE DELETE ON events
WHEN old.seq > (SELECT acked_seq FROM delivery_state WHERE id = 1)
  OR old.seq = (SELECT max(seq) FROM events)
BEGIN
  SELECT RAISE(ABORT, 'only events acknowledged by the central server may be pruned, never the newest');
END;
