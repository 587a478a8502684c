-- 012: what the web console's overview and people pages read (issue 12).
--
-- A contractor is named with their company, and custodians search by it: an optional column.
ALTER TABLE holders ADD COLUMN company TEXT
  CHECK (company IS NULL OR length(company) BETWEEN 1 AND 200);

-- People are listed a page at a time in name order: the index walks the order, so the first
-- pages of 100,000 holders cost a few rows, not a sort of the table.
CREATE INDEX holders_name ON holders(name COLLATE NOCASE, id) WHERE retired = 0;

-- The active alarms are replayed from the log since the daemon last started (it keeps them in
-- memory only): alarms, their clearings, the console's acknowledgements and the starts. This
-- keeps that read from scanning a million events. The list is the same as the query's in
-- src/store/custodian/alarms.ts (SQLite uses a partial index only for the same condition).
CREATE INDEX events_alarms ON events(seq)
  WHERE type IN ('key.forced', 'key.wrong_slot', 'key.unknown_fob', 'door.forced', 'key.overdue',
                 'door.held_open', 'key.swapped', 'key.duplicate_fob', 'key.missing',
                 'reader.offline', 'reader.card_flood', 'cabinet.tamper', 'power.failed',
                 'storage.backlog', 'alarm.cleared', 'alarm.acknowledged', 'cabinet.started');
