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

/** Each kind of id to its name (slotKey: a slot to the label of the key that lives there). */
export type NameLookups = Record<
  'holder' | 'key' | 'group' | 'keySet' | 'schedule' | 'slotKey',
  (id: number) => string | undefined
>;

/** How an id reads next to its name, wherever the names come from. */
function directoryOf(names: NameLookups): NameDirectory {
  const named = (name: (id: number) => string | undefined) => (id: number | null) => {
    if (id === null) return '-';
    const found = name(id);
    return found === undefined ? String(id) : `${found} (${id})`;
  };
  return {
    holder: named(names.holder),
    key: named(names.key),
    group: named(names.group),
    keySet: named(names.keySet),
    schedule: named(names.schedule),
    slot: (slot) => {
      if (slot === null) return '-';
      const label = names.slotKey(slot);
      return label === undefined ? `slot ${slot}` : `slot ${slot} (${label})`;
    },
  };
}

/** Where each kind of name lives: table, the id column, the name column. */
const NAME_COLUMNS: Record<keyof NameLookups, [table: string, id: string, name: string]> = {
  holder: ['holders', 'id', 'name'],
  key: ['keys', 'id', 'label'],
  group: ['access_groups', 'id', 'name'],
  keySet: ['key_sets', 'id', 'name'],
  schedule: ['schedules', 'id', 'name'],
  slotKey: ['keys', 'home_slot', 'label'],
};

const KINDS = Object.keys(NAME_COLUMNS) as Array<keyof NameLookups>;

/** One lookup per kind, built by `make` from the kind's table and columns. */
function perKind<T>(make: (table: string, id: string, name: string) => T) {
  return Object.fromEntries(KINDS.map((kind) => [kind, make(...NAME_COLUMNS[kind])])) as Record<
    keyof NameLookups,
    T
  >;
}

/**
 * The names of the ids a listing shows, looked up as they are shown, each once: memory and time
 * follow what is printed, not the size of the cabinet (a `key list` on a cabinet with 100,000
 * holders reads the names of the few holding keys). The database must stay open while the
 * names are used.
 */
export function nameDirectory(scope: Pick<ChangeScope, 'db'>): NameDirectory {
  return directoryOf(
    perKind((table, id, name) => {
      const statement = scope.db.prepare(`SELECT ${name} FROM ${table} WHERE ${id} = ?`).pluck();
      const known = new Map<number, string | undefined>();
      return (value: number): string | undefined => {
        if (!known.has(value)) known.set(value, statement.get(value) as string | undefined);
        return known.get(value);
      };
    }),
  );
}

/**
 * Every name at once, as JSON carries it: for a caller in another process (the command line
 * through the daemon's socket), which cannot look names up as it prints.
 */
export type NameSnapshot = Record<keyof NameLookups, Array<[number, string]>>;

export function nameSnapshot(scope: Pick<ChangeScope, 'db'>): NameSnapshot {
  return perKind(
    (table, id, name) =>
      scope.db
        .prepare(`SELECT ${id}, ${name} FROM ${table} WHERE ${id} IS NOT NULL`)
        .raw()
        .all() as Array<[number, string]>,
  );
}

/** The directory over a snapshot: ids read as nameDirectory reads them. */
export function snapshotDirectory(snapshot: NameSnapshot): NameDirectory {
  return directoryOf(
    Object.fromEntries(
      KINDS.map((kind) => {
        const map = new Map(snapshot[kind]);
        return [kind, (id: number) => map.get(id)];
      }),
    ) as NameLookups,
  );
}
