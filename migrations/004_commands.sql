-- 004: the central server's signed commands (src/commands/).
--
-- A command carries a counter that must increase per signing key: the last accepted counter of
-- each key is kept here, so a replayed or reordered command is refused even after a restart.
-- The counter is advanced, and the command's id remembered, in the same transaction as its
-- `command.accepted` event and whatever the command did; a refused command changes nothing
-- here (its `command.rejected` event is all it leaves).
CREATE TABLE command_counters (
  key_id      TEXT    PRIMARY KEY,               -- config commands.keys[].id
  counter     INTEGER NOT NULL CHECK (counter >= 1),
  command_id  TEXT    NOT NULL,                  -- the command that set it
  accepted_at TEXT    NOT NULL                   -- ISO 8601 UTC
);

-- Ids of executed commands: they tell `replayed` (this very command again) from `out_of_order`
-- (an older, never executed command). The counter refuses both either way, so rows are
-- forgotten a week after the command expired.
CREATE TABLE executed_commands (
  id          TEXT    PRIMARY KEY,
  key_id      TEXT    NOT NULL,
  counter     INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  expires_ms  INTEGER NOT NULL,                  -- the command's expiresAt, ms since the epoch
  accepted_at TEXT    NOT NULL
);
CREATE INDEX executed_commands_expiry ON executed_commands(expires_ms);

-- The lockdown in force; no row when there is none. Kept so that a restart (a power cut, a
-- crash, someone pulling the plug) does not silently lift it. Written in the transaction that
-- records lockdown.started / lockdown.ended.
-- Emergency release is deliberately not kept: after a restart the cabinet comes up locked
-- (fail secure) and the server, or the input, must declare it again.
CREATE TABLE lockdown_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  command_id    TEXT    NOT NULL,                -- the lockdown command in force
  allow_holders TEXT    NOT NULL,                -- JSON array of holder ids still admitted
  started_at    TEXT    NOT NULL
);
