/**
 * Exit codes: 0 done, 1 failed, 2 wrong usage (nothing changed), 78 (EX_CONFIG) a problem that
 * restarting cannot fix: invalid config or profile, a database from a newer Keywarden.
 * 141 (closed-pipe.ts): the reader of the output went away, as coreutils report it.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, config: 78 } as const;
