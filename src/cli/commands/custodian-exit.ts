/** Exit codes of main.ts, for commands that fail without throwing (kept here to avoid a cycle). */
export const EXIT_FAILED = 1;
