-- 005: the access policy (issue 4): access groups, key sets, weekly schedules with dated
-- exceptions, and grants to a holder or a group on a slot or a key set, each optionally
-- bounded in time and carrying a schedule.
--
-- The permissions table of 001 stays the direct holder–slot permission (with the validity
-- columns it always had); policy_grants carries the forms it cannot: a group as subject, a key
-- set as target, a schedule. Times are ISO 8601 UTC like every other column; validity starts
-- are inclusive and ends exclusive. Schedule minutes are local wall-clock minutes in the
-- cabinet's configured time zone (see src/domain/policy/schedule.ts for daylight saving).

CREATE TABLE access_groups (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at TEXT    NOT NULL
);

-- Looked up by holder at every badge: the primary key leads with holder_id.
CREATE TABLE group_members (
  holder_id INTEGER NOT NULL REFERENCES holders(id),
  group_id  INTEGER NOT NULL REFERENCES access_groups(id),
  PRIMARY KEY (holder_id, group_id)
) WITHOUT ROWID;
CREATE INDEX group_members_group ON group_members(group_id);

CREATE TABLE key_sets (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at TEXT    NOT NULL
);

CREATE TABLE key_set_members (
  key_set_id INTEGER NOT NULL REFERENCES key_sets(id),
  key_id     INTEGER NOT NULL REFERENCES keys(id),
  PRIMARY KEY (key_set_id, key_id)
) WITHOUT ROWID;
CREATE INDEX key_set_members_key ON key_set_members(key_id);

CREATE TABLE schedules (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at TEXT    NOT NULL
);

-- A window never crosses midnight (overnight access is two windows): day 1 = Monday.
CREATE TABLE schedule_windows (
  id           INTEGER PRIMARY KEY,
  schedule_id  INTEGER NOT NULL REFERENCES schedules(id),
  day          INTEGER NOT NULL CHECK (day BETWEEN 1 AND 7),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute   INTEGER NOT NULL CHECK (end_minute > start_minute AND end_minute <= 1440)
);
CREATE INDEX schedule_windows_schedule ON schedule_windows(schedule_id);

-- A local date that is closed (holiday) or extra open; without minutes, the whole day.
CREATE TABLE schedule_exceptions (
  id           INTEGER PRIMARY KEY,
  schedule_id  INTEGER NOT NULL REFERENCES schedules(id),
  date         TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  kind         TEXT    NOT NULL CHECK (kind IN ('closed', 'open')),
  start_minute INTEGER CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute   INTEGER CHECK (end_minute <= 1440),
  CHECK ((start_minute IS NULL) = (end_minute IS NULL)),
  CHECK (start_minute IS NULL OR end_minute > start_minute)
);
CREATE INDEX schedule_exceptions_schedule ON schedule_exceptions(schedule_id);

-- Exactly one subject (holder or group) and exactly one target (slot or key set).
CREATE TABLE policy_grants (
  id          INTEGER PRIMARY KEY,
  holder_id   INTEGER REFERENCES holders(id),
  group_id    INTEGER REFERENCES access_groups(id),
  slot        INTEGER REFERENCES slots(number),
  key_set_id  INTEGER REFERENCES key_sets(id),
  schedule_id INTEGER REFERENCES schedules(id),
  valid_from  TEXT,
  valid_until TEXT,
  created_at  TEXT    NOT NULL,
  CHECK ((holder_id IS NULL) <> (group_id IS NULL)),
  CHECK ((slot IS NULL) <> (key_set_id IS NULL))
);
CREATE INDEX policy_grants_holder ON policy_grants(holder_id) WHERE holder_id IS NOT NULL;
CREATE INDEX policy_grants_group ON policy_grants(group_id) WHERE group_id IS NOT NULL;

-- Lost, stolen and retired keys are looked up at every badge; there are few of them.
CREATE INDEX keys_unreleasable ON keys(state) WHERE state <> 'active';

-- The expiry timer asks which validity windows end between two instants.
CREATE INDEX holders_valid_until ON holders(valid_until) WHERE valid_until IS NOT NULL;
CREATE INDEX credentials_valid_until ON credentials(valid_until) WHERE valid_until IS NOT NULL;
