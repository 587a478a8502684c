-- 010: wrong PINs in a row per credential (issue 11). The flow's lockouts live in memory and
-- forget after their window, so a guesser who paced the tries (one a minute) was never stopped,
-- and a restart forgot everything. This count is projected from the event log
-- (src/store/projections.ts: `access.denied` with `wrong_pin` adds one; `pin.reset`, the right
-- PIN or a custodian's reset, removes the row) and read with each badge: at
-- lockout.maxWrongPins the credential is refused until a custodian resets it.
-- A credential removed (by a custodian or a sync) takes its count with it.
CREATE TABLE pin_failures (
  credential_id INTEGER PRIMARY KEY REFERENCES credentials(id) ON DELETE CASCADE,
  wrong_pins    INTEGER NOT NULL CHECK (wrong_pins >= 1),
  last_at       TEXT    NOT NULL  -- ISO 8601 UTC of the latest wrong PIN
);

-- The lockouts in force outlive a restart too: the daemon restores them at start from their
-- events (src/store/lockout-restore.ts). This index keeps that read, and `lockout list`, from
-- scanning the whole event log.
CREATE INDEX events_lockouts ON events(seq)
  WHERE type IN ('lockout.started', 'lockout.ended', 'lockout.cleared');
