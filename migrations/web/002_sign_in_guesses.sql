-- 002: wrong passwords counted per account AND client address, so that guessing from one
-- address locks that address out of the account, not the account's owner everywhere (001's
-- account-wide lock let anyone who knew a name keep its owner out). Kept in the file, not in
-- memory: a restart of the console forgets no lock, and `keywarden web-user enable` or `passwd`,
-- run in another process, ends them.

-- One row per wrong password for a real account (names without an account are counted in the
-- console's memory alike). Rows older than a day are deleted as new ones come: the rules only
-- look back a day, and an attacker can add at most a bounded number per day (docs/web.md).
CREATE TABLE web_sign_in_failures (
  account TEXT    NOT NULL COLLATE NOCASE REFERENCES web_accounts(account) ON DELETE CASCADE,
  address TEXT    NOT NULL,  -- the client address as the console saw it
  at      INTEGER NOT NULL   -- ms since the epoch
) STRICT;
CREATE INDEX web_sign_in_failures_pair ON web_sign_in_failures(account, address, at);
CREATE INDEX web_sign_in_failures_at ON web_sign_in_failures(at);

-- Addresses an account has signed in from lately: its owner there is not slowed by the
-- account-wide ceiling that many addresses guessing together reach.
CREATE TABLE web_known_addresses (
  account         TEXT    NOT NULL COLLATE NOCASE REFERENCES web_accounts(account) ON DELETE CASCADE,
  address         TEXT    NOT NULL,
  last_sign_in_at INTEGER NOT NULL,  -- ms since the epoch
  PRIMARY KEY (account, address)
) STRICT;

-- 001's account-wide counts and locks are no longer read: end them, so that no account stays
-- locked by the scheme this migration replaces (the columns stay, unused: dropping them would
-- mean rebuilding the table for nothing).
UPDATE web_accounts SET failed_sign_ins = 0, locked_until = NULL;
