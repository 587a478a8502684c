import type { ChangeScope } from './scope.js';

/** What a person reads next to an id: "Alice Example (1)", "K-05 (5)", "Nights (1)". */
export interface NameDirectory {
  holder(id: number | null): string;
  key(id: number | null): string;
  group(id: number | null): string;
  keySet(id: number | null): string;
  schedule(id: number | null): string;
  /** "slot 5 (K-05)": the slot with the key that lives there, if any. */
  slot(slot: number | null): string;
}

/**
 * The names of the ids a listing shows, looked up as they are shown, each once: memory and time
 * follow what is printed, not the size of the cabinet (a `key list` on a cabinet with 100,000
 * holders reads the names of the few holding keys). The database must stay open while the
 * names are used.
 */
export function nameDirectory(scope: Pick<ChangeScope, 'db'>): NameDirectory {
  const lookup = (sql: string) => {
    const statement = scope.db.prepare(sql).pluck();
    const known = new Map<number, string | undefined>();
    return (id: number): string | undefined => {
      if (!known.has(id)) known.set(id, statement.get(id) as string | undefined);
      return known.get(id);
    };
  };
  const named = (name: (id: number) => string | undefined) => (id: number | null) => {
    if (id === null) return '-';
    const found = name(id);
    return found === undefined ? String(id) : `${found} (${id})`;
  };
  const slotKey = lookup('SELECT label FROM keys WHERE home_slot = ?');
  return {
    holder: named(lookup('SELECT name FROM holders WHERE id = ?')),
    key: named(lookup('SELECT label FROM keys WHERE id = ?')),
    group: named(lookup('SELECT name FROM access_groups WHERE id = ?')),
    keySet: named(lookup('SELECT name FROM key_sets WHERE id = ?')),
    schedule: named(lookup('SELECT name FROM schedules WHERE id = ?')),
    slot: (slot) => {
      if (slot === null) return '-';
      const label = slotKey(slot);
      return label === undefined ? `slot ${slot}` : `slot ${slot} (${label})`;
    },
  };
}
