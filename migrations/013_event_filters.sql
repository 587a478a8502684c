-- The console's event log (src/store/custodian/event-search.ts) filters by type, by the holder
-- or key an event names, and by time, newest first and a page at a time. Without these indexes
-- each filter reads the whole log (a million events on a busy cabinet's retention); with them a
-- page reads about as many rows as it shows. Each ends in seq so that "newest first, older than
-- the last one shown" is read straight off the index.
CREATE INDEX events_type ON events(type, seq);
CREATE INDEX events_holder ON events(json_extract(payload, '$.data.holderId'), seq)
  WHERE json_extract(payload, '$.data.holderId') IS NOT NULL;
CREATE INDEX events_key ON events(json_extract(payload, '$.data.keyId'), seq)
  WHERE json_extract(payload, '$.data.keyId') IS NOT NULL;
CREATE INDEX events_time ON events(time);
