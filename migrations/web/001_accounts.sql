-- 001: the web console's own accounts, their sessions and the record of every change to them
-- (issue 12). A separate SQLite file from the cabinet's (config web.accountsDatabase), written
-- only by the console's Unix user: a thief of the cabinet's database gets no password hash, and
-- the console's process needs no write access to the cabinet's file.

-- Names compare without case, so "Ada" cannot be added beside "ada" to pass for her in a log.
CREATE TABLE web_accounts (
  account             TEXT    PRIMARY KEY COLLATE NOCASE,
  role                TEXT    NOT NULL CHECK (role IN ('viewer', 'custodian', 'admin')),
  -- scrypt$N$r$p$salt$hash: records its own cost, so the cost can be raised later.
  password_hash       TEXT    NOT NULL,
  disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  -- Wrong passwords in a row; at the limit the account is locked until locked_until (ms).
  failed_sign_ins     INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
  locked_until        INTEGER,
  created_at          TEXT    NOT NULL,  -- ISO 8601 UTC
  password_changed_at TEXT    NOT NULL
) STRICT;

-- A session is found by the SHA-256 of its cookie's token: the database never holds a token
-- that could be replayed. Times are milliseconds since the epoch.
CREATE TABLE web_sessions (
  token_hash   BLOB    PRIMARY KEY,
  account      TEXT    NOT NULL COLLATE NOCASE REFERENCES web_accounts(account) ON DELETE CASCADE,
  csrf_token   TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) STRICT;
CREATE INDEX web_sessions_account ON web_sessions(account);

-- Who changed which account, how, and when: appended, never updated.
CREATE TABLE web_account_events (
  id      INTEGER PRIMARY KEY,
  at      TEXT    NOT NULL,  -- ISO 8601 UTC
  actor   TEXT    NOT NULL,  -- the web account, or "unix:<user>" for the command line
  action  TEXT    NOT NULL,
  account TEXT    NOT NULL,  -- the account changed
  detail  TEXT               -- JSON, never a password or a token
) STRICT;
CREATE INDEX web_account_events_account ON web_account_events(account, id);
