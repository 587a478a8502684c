-- 009: the daemon looks for validity ends every tick (100 ms) over holders, credentials,
-- permissions and grants (src/store/policy-lookups.ts, VALIDITY_ENDS_SQL). Holders and
-- credentials had an index on valid_until (005); permissions and grants did not, so every tick
-- scanned all of them: about 4 ms at 150,000 permissions, blocking any badge that arrived
-- meanwhile. Partial indexes: most rows have no end, and those cost nothing to maintain.
CREATE INDEX permissions_valid_until ON permissions(valid_until) WHERE valid_until IS NOT NULL;
CREATE INDEX policy_grants_valid_until ON policy_grants(valid_until) WHERE valid_until IS NOT NULL;
