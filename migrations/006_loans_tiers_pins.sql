-- 006: the rest of the access policy (issue 4): loan limits and overdue keys, key tiers,
-- PINs and duress PINs, the return policy, the expiry watermark, and custodian requests that
-- the running daemon carries out.
--
-- Columns 001 already reserved and now used: keys.tier, keys.max_loan_minutes,
-- credentials.pin_hash, loans.due_at.

-- Loans (rule 4). A limit may be set on a key, a direct permission, a grant or a group; the
-- strictest that applies to a loan decides its due time (src/domain/loans.ts). A curfew is a
-- local time of day (minutes after midnight, in the cabinet's zone) by which the key is due.
ALTER TABLE keys ADD COLUMN curfew_minute INTEGER CHECK (curfew_minute BETWEEN 0 AND 1439);
ALTER TABLE permissions ADD COLUMN max_loan_minutes INTEGER CHECK (max_loan_minutes > 0);
ALTER TABLE policy_grants ADD COLUMN max_loan_minutes INTEGER CHECK (max_loan_minutes > 0);
ALTER TABLE access_groups ADD COLUMN max_loan_minutes INTEGER CHECK (max_loan_minutes > 0);
-- Keys a holder may have out at once; NULL: the configured default (policy.maxKeysOut).
ALTER TABLE holders ADD COLUMN max_keys_out INTEGER CHECK (max_keys_out >= 0);
-- When `key.overdue` was recorded for the loan: announced once, even across restarts.
ALTER TABLE loans ADD COLUMN overdue_at TEXT;

-- Return policy (rule 10): 'home' (the key's own slot) or 'any' free slot. With 'any' a key is
-- recognised by its fob, so it needs a slot with a fob reader.
ALTER TABLE keys ADD COLUMN return_policy TEXT NOT NULL DEFAULT 'home'
  CHECK (return_policy IN ('home', 'any'));

-- Tiers (rule 5). keys.tier names one of these rows; a key with no tier (NULL) or a tier
-- without a row has no extra rule. The rows below are a starting point that follows common
-- key-control practice: every site should review them (`keywarden tier set`).
CREATE TABLE tier_rules (
  tier                TEXT    PRIMARY KEY
                      CHECK (tier IN ('grand_master', 'master', 'sub_master', 'change')),
  authorisers         INTEGER NOT NULL DEFAULT 0 CHECK (authorisers IN (0, 1, 2)),
  authoriser_group_id INTEGER REFERENCES access_groups(id),
  pin                 INTEGER NOT NULL DEFAULT 0 CHECK (pin IN (0, 1)),
  max_loan_minutes    INTEGER CHECK (max_loan_minutes > 0),
  reason_code         INTEGER NOT NULL DEFAULT 0 CHECK (reason_code IN (0, 1))
);
INSERT INTO tier_rules (tier, authorisers, pin, max_loan_minutes, reason_code) VALUES
  ('grand_master', 2, 1, 60, 1),
  ('master', 1, 1, 240, 1),
  ('sub_master', 0, 1, 480, 0),
  ('change', 0, 0, NULL, 0);

-- PINs (rule 7): scrypt hashes only (src/store/pin-hash.ts). pin_required asks for the PIN at
-- every badge of this credential; a tier may ask for it too. The duress PIN grants as normal
-- and raises a silent alarm.
ALTER TABLE credentials ADD COLUMN pin_required INTEGER NOT NULL DEFAULT 0
  CHECK (pin_required IN (0, 1));
ALTER TABLE credentials ADD COLUMN duress_pin_hash TEXT;

-- Reason codes a tier may ask for (entered on the keypad after the PIN). Empty: any code of
-- 1–6 digits is accepted and recorded.
CREATE TABLE reason_codes (
  code        TEXT PRIMARY KEY CHECK (code GLOB '[0-9]*' AND length(code) BETWEEN 1 AND 6),
  description TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 200)
);

-- Validity ends (rule 3) up to this instant have been recorded as expiry events. One row.
CREATE TABLE policy_marks (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  expiries_until TEXT                                  -- ISO 8601 UTC; NULL: not yet
);
INSERT INTO policy_marks (id, expiries_until) VALUES (1, NULL);

-- What a custodian asks the running daemon to do, because only it holds the state concerned:
-- clear a lockout (kept in the daemon's memory), enrol the next card tapped at the reader.
-- The CLI inserts; the daemon carries it out at its next tick and marks it done.
CREATE TABLE custodian_requests (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL CHECK (kind IN ('clear_lockout', 'enrol_card')),
  payload    TEXT    NOT NULL,                         -- JSON, by kind
  actor      TEXT    NOT NULL,                         -- the custodian account
  created_at TEXT    NOT NULL,
  expires_at TEXT    NOT NULL,
  done_at    TEXT,
  outcome    TEXT                                      -- JSON: what came of it
);
CREATE INDEX custodian_requests_pending ON custodian_requests(id) WHERE done_at IS NULL;
