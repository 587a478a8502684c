/**
 * Which validity windows ended between two clock readings: the pure half of recording an
 * expiry as an event at its instant. The decision already refuses from the end instant on
 * without any of this; this only makes the moment visible to the central server.
 */

export type ExpiringKind = 'holder' | 'credential' | 'permission' | 'grant';

export interface ValidityEnd {
  kind: ExpiringKind;
  /** The row's id; a permission (which has none) is named by holder and slot. */
  id: number;
  holderId: number | null;
  slot?: number;
  /** The end instant (exclusive: the record is refused from here on). */
  untilMs: number;
}

/** Where the ends come from: SqlitePolicyLookups over SQLite, an array in tests. */
export interface ExpirySource {
  /** Every validity end in [fromMs, toMs], possibly a little more: the caller filters. */
  validityEndsBetween(fromMs: number, toMs: number): ValidityEnd[];
}

/**
 * The ends in (previousMs, nowMs], oldest first. Half-open on the left so that consecutive
 * ticks (t0, t1], (t1, t2] report each end exactly once; closed on the right because at its
 * end instant a record is already expired. After a clock step backwards (previousMs > nowMs)
 * nothing is reported; after a long stop (power off) everything missed is reported at once.
 */
export function expiriesBetween(
  previousMs: number,
  nowMs: number,
  source: ExpirySource,
): ValidityEnd[] {
  if (nowMs <= previousMs) return [];
  return source
    .validityEndsBetween(previousMs, nowMs)
    .filter((end) => end.untilMs > previousMs && end.untilMs <= nowMs)
    .sort((a, b) => a.untilMs - b.untilMs || a.kind.localeCompare(b.kind) || a.id - b.id);
}
