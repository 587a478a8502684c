-- 007: the link between a holder and the HR record it comes from (CSV import, issue 4).
--
-- An HR system names people by its own reference (an employee number); our ids are chosen by
-- this database or by the central server's sync, so an import cannot use them. The reference
-- is optional (holders added by hand or synced have none) and unique among those that have one.
ALTER TABLE holders ADD COLUMN hr_ref TEXT CHECK (hr_ref IS NULL OR length(hr_ref) BETWEEN 1 AND 64);
CREATE UNIQUE INDEX holders_hr_ref ON holders(hr_ref) WHERE hr_ref IS NOT NULL;

-- The first sync from the central server puts the server's holders under the server's ids,
-- over whatever was entered locally (003): a reference imported here would then name whoever
-- the server gave that id. From then on the server owns holders (and imports are refused), so
-- the local references go. The server may carry its own in a later version of the set.
CREATE TRIGGER holders_hr_ref_cleared_by_first_sync
AFTER UPDATE OF version ON sync_state
WHEN OLD.version = 0 AND NEW.version > 0
BEGIN
  UPDATE holders SET hr_ref = NULL WHERE hr_ref IS NOT NULL;
END;
