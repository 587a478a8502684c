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
 * The names of everything a listing may refer to by id, read at once while the database is open
 * (tables are printed after it is closed): one query per table beats one per row. A cabinet with
 * 100,000 holders holds their names in memory for the duration of one command.
 */
export function nameDirectory(scope: Pick<ChangeScope, 'db'>): NameDirectory {
  const names = (sql: string) =>
    new Map(
      (scope.db.prepare(sql).all() as Array<{ id: number; name: string }>).map((r) => [
        r.id,
        r.name,
      ]),
    );
  const holders = names('SELECT id, name FROM holders');
  const keys = names('SELECT id, label AS name FROM keys');
  const groups = names('SELECT id, name FROM access_groups');
  const keySets = names('SELECT id, name FROM key_sets');
  const schedules = names('SELECT id, name FROM schedules');
  const slotKeys = names(
    'SELECT home_slot AS id, label AS name FROM keys WHERE home_slot IS NOT NULL',
  );
  const named = (map: Map<number, string>) => (id: number | null) => {
    if (id === null) return '-';
    const name = map.get(id);
    return name === undefined ? String(id) : `${name} (${id})`;
  };
  return {
    holder: named(holders),
    key: named(keys),
    group: named(groups),
    keySet: named(keySets),
    schedule: named(schedules),
    slot: (slot) => {
      if (slot === null) return '-';
      const label = slotKeys.get(slot);
      return label === undefined ? `slot ${slot}` : `slot ${slot} (${label})`;
    },
  };
}
