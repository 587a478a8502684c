-- 014: the console's event-log filters leave the badge's commit (issue 9).
--
-- Migration 013 put four indexes on events for the console's event log (type, holder, key,
-- time). Every event wrote a page of each, inside the commit that is fsync'd before the
-- solenoid moves. They move to a table of their own, event_filters, one narrow row per event:
-- the daemon fills it after the solenoid has moved (src/daemon/cabinet-runner.ts, at most one
-- commit a second, src/store/event-filters.ts), and the search reads the few events not yet in
-- it straight from events (src/store/custodian/event-search.ts), so it is never stale.
--
-- The partial indexes stay: events_alarms (012) and events_lockouts (011) take a row only for
-- their own event types, so a badge's event writes no page of them.
DROP INDEX events_type;
DROP INDEX events_holder;
DROP INDEX events_key;
DROP INDEX events_time;

-- Holds the events with seq up to its own max(seq), every one of them (filled in seq order,
-- pruned with events by the trigger below): the rest are read from events.
CREATE TABLE event_filters (
  seq       INTEGER PRIMARY KEY,  -- the event's
  type      TEXT    NOT NULL,
  -- json_extract(payload, '$.data.holderId') and '$.data.keyId' as they were indexed in 013:
  -- no declared type, so each is kept and compared exactly as the JSON has it.
  holder_id,
  key_id,
  time      TEXT    NOT NULL
);
INSERT INTO event_filters (seq, type, holder_id, key_id, time)
  SELECT seq, type, json_extract(payload, '$.data.holderId'), json_extract(payload, '$.data.keyId'),
         time
    FROM events ORDER BY seq;

-- Each ends in seq (the rowid) so that "newest first, older than the last one shown" is read
-- straight off the index, as with 013's.
CREATE INDEX event_filters_type ON event_filters(type, seq);
CREATE INDEX event_filters_holder ON event_filters(holder_id, seq) WHERE holder_id IS NOT NULL;
CREATE INDEX event_filters_key ON event_filters(key_id, seq) WHERE key_id IS NOT NULL;
CREATE INDEX event_filters_time ON event_filters(time);

-- Pruning (the only deletion) takes an event's filter row with it. A trigger rather than a
-- foreign key: a later migration that rebuilds events (as 011 did) drops the table, which
-- fires no trigger but would cascade a foreign key's delete.
CREATE TRIGGER events_pruned_with_filters
AFTER DELETE ON events
BEGIN
  DELETE FROM event_filters WHERE seq = old.seq;
END;
