-- 015: the OSDP reader's tamper alarm, reader.tampered (issue 13), among the alarms the console
-- replays.
--
-- The partial index events_alarms (012) takes a row only for the alarm types listed; the
-- replay's query (src/store/custodian/alarms.ts) names the same list, and SQLite uses a partial
-- index only for the very same condition. So the new type means a new index.
DROP INDEX events_alarms;
CREATE INDEX events_alarms ON events(seq)
  WHERE type IN ('key.forced', 'key.wrong_slot', 'key.unknown_fob', 'door.forced', 'key.overdue',
                 'door.held_open', 'key.swapped', 'key.duplicate_fob', 'key.missing',
                 'reader.offline', 'reader.card_flood', 'reader.tampered', 'cabinet.tamper',
                 'power.failed', 'storage.backlog', 'alarm.cleared', 'alarm.acknowledged',
                 'cabinet.started');
