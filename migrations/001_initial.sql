-- Keywarden schema, version 1.
-- Released migrations are never edited: add a new numbered file instead.
-- Later policy (groups, schedules, validity windows, loan limits, key tiers) attaches through
-- the nullable columns and link tables noted below without reshaping these tables.

CREATE TABLE holders (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  valid_from  TEXT,              -- ISO 8601 UTC; NULL = no bound (validity windows)
  valid_until TEXT,
  created_at  TEXT    NOT NULL
);

CREATE TABLE credentials (
  id          INTEGER PRIMARY KEY,
  holder_id   INTEGER NOT NULL REFERENCES holders(id),
  card        TEXT    NOT NULL UNIQUE,   -- as the reader delivers it
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  valid_from  TEXT,
  valid_until TEXT,
  pin_hash    TEXT,                      -- scrypt hash when a PIN is required
  created_at  TEXT    NOT NULL
);
CREATE INDEX credentials_holder ON credentials(holder_id);

CREATE TABLE slots (
  number  INTEGER PRIMARY KEY CHECK (number >= 1),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1))
);

CREATE TABLE keys (
  id               INTEGER PRIMARY KEY,
  tag              TEXT    NOT NULL UNIQUE,       -- fob tag, upper-case hex
  label            TEXT    NOT NULL,              -- need not reveal the lock it opens
  home_slot        INTEGER NOT NULL UNIQUE REFERENCES slots(number),
  tier             TEXT,                          -- grand_master | master | sub_master | change
  state            TEXT    NOT NULL DEFAULT 'active',  -- active | lost | stolen | retired
  max_loan_minutes INTEGER,
  created_at       TEXT    NOT NULL
);

-- A permission names a holder today; group_id and schedule_id join it later.
CREATE TABLE permissions (
  id          INTEGER PRIMARY KEY,
  holder_id   INTEGER NOT NULL REFERENCES holders(id),
  slot        INTEGER NOT NULL REFERENCES slots(number),
  valid_from  TEXT,
  valid_until TEXT,
  created_at  TEXT    NOT NULL,
  UNIQUE (holder_id, slot)
);
CREATE INDEX permissions_holder ON permissions(holder_id);

-- Every loan, open or closed; at most one open loan per key.
CREATE TABLE loans (
  id           INTEGER PRIMARY KEY,
  key_id       INTEGER NOT NULL REFERENCES keys(id),
  holder_id    INTEGER NOT NULL REFERENCES holders(id),
  slot         INTEGER NOT NULL,
  out_at       TEXT    NOT NULL,
  out_seq      INTEGER NOT NULL,
  due_at       TEXT,
  returned_at  TEXT,
  returned_seq INTEGER
);
CREATE UNIQUE INDEX loans_open_key ON loans(key_id) WHERE returned_at IS NULL;
CREATE INDEX loans_open_holder ON loans(holder_id) WHERE returned_at IS NULL;

-- The append-only event log, which is also the MQTT outbox. AUTOINCREMENT guarantees that a
-- sequence number is never reused, even after rows are pruned.
CREATE TABLE events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT    NOT NULL UNIQUE,
  type         TEXT    NOT NULL,
  time         TEXT    NOT NULL,
  payload      TEXT    NOT NULL,          -- the JSON published, byte for byte
  published_at TEXT                       -- broker acknowledged (QoS 1 PUBACK)
);
CREATE INDEX events_unpublished ON events(seq) WHERE published_at IS NULL;

CREATE TRIGGER events_append_only
BEFORE UPDATE OF seq, id, type, time, payload ON events
BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;
