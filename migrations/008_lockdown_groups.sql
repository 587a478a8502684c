-- 008: a lockdown may admit the members of named access groups (the custodians), besides the
-- holders it lists (issue 5: "lockdown refuses every badge but those of a named custodian
-- group"). A JSON array of group ids, like allow_holders.
ALTER TABLE lockdown_state ADD COLUMN allow_groups TEXT NOT NULL DEFAULT '[]';
