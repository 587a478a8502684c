import type { Statement } from 'better-sqlite3';
import { ruleOf, type SectionName, type SectionRows } from '../domain/permission-set.js';

/**
 * Where one field of a section is stored: a column holding the value as is, or a flag column
 * holding true/false as 1/0 (what SQLite has for booleans).
 */
export type Column = string | { flag: string };

/**
 * How one section of the permission set is stored, and nothing the domain already declares:
 * the section's fields, their order, its key and the defaults of absent fields come from its
 * rule (src/domain/permission-set/), and the SQL below is derived from both.
 */
export interface TableMapping<S extends SectionName> {
  table: string;
  /** The column of every field of the section: a field left out, or one it lacks, fails to compile. */
  columns: { readonly [F in keyof SectionRows[S]]-?: Column };
  /** Which rows are in force, when retired ones stay in the table (loans still name them). */
  inForce?: string;
  /** The table has a created_at column, stamped with the sync's time on insert. */
  stamped?: boolean;
  /**
   * An added row may find a retired one with its key still in the table: the insert then
   * overwrites every field of it and runs these assignments too.
   */
  revive?: string;
  /**
   * Clears a row's unique columns before any row takes its new values, so two rows may swap a
   * card, a tag or a slot in one sync. Asked for changed rows and for added ones (`before`
   * undefined: a retired row with the same key may still hold values). Named parameters: the row.
   */
  park?: {
    sql: string;
    needed(before: SectionRows[S] | undefined, after: SectionRows[S]): boolean;
  };
  /** Tried in order with the row as named parameters; the first that changes a row removes it. */
  remove: readonly string[];
}

/** The SQL the sync runs for one section, derived from its rule and its TableMapping. */
export interface SyncTable<S extends SectionName> {
  /**
   * The rows of the set in force as one JSON array of row objects shaped like the set's own,
   * in key order so the diff need not sort them. SQLite builds the JSON faster than
   * better-sqlite3 builds 100,000 row objects.
   */
  readCurrent: string;
  /** Writes a new row, or brings back a retired one with the same key. */
  insert: Write<S, [stamp: string]>;
  /** Writes a changed row's fields. Absent when a row is nothing but its key. */
  update?: Write<S, []>;
  park?: TableMapping<S>['park'];
  remove: readonly string[];
}

/**
 * A statement and how to run it for a row. A large sync runs it 200,000 times, so the values
 * go into one array reused from row to row (the run is synchronous), spread as positional
 * values: better-sqlite3 binds an array argument about 15% slower (measured on 100,000 rows).
 */
export interface Write<S extends SectionName, Extra extends unknown[]> {
  sql: string;
  run(stmt: Statement, row: SectionRows[S], ...extra: Extra): void;
}

type FieldOf<S extends SectionName> = keyof SectionRows[S] & string;

/**
 * The SQL of one section: its rule's fields in the rule's order, rows matched and read back in
 * order of its key fields, absent fields written as the rule's defaults.
 */
export function syncTable<S extends SectionName>(name: S, mapping: TableMapping<S>): SyncTable<S> {
  const rule = ruleOf(name);
  const fields = Object.keys(rule.fields) as Array<FieldOf<S>>;
  const keyFields: ReadonlyArray<FieldOf<S>> = rule.keyFields;
  const others = fields.filter((field) => !keyFields.includes(field));
  const column = (field: FieldOf<S>): string => columnName(mapping.columns[field]);
  const { table } = mapping;

  const json = fields.map((field) => {
    const stored = mapping.columns[field];
    const value =
      typeof stored === 'string' ? stored : `json(iif(${stored.flag}, 'true', 'false'))`;
    return `'${field}', ${value}`;
  });
  const readCurrent = `SELECT json_group_array(json_object(${json.join(', ')}))
    FROM (SELECT ${fields.map(column).join(', ')} FROM ${table}
           ${mapping.inForce ? `WHERE ${mapping.inForce}` : ''}
           ORDER BY ${keyFields.map(column).join(', ')})`;

  const insertColumns = [...fields.map(column), ...(mapping.stamped ? ['created_at'] : [])];
  const revive = mapping.revive
    ? ` ON CONFLICT (${keyFields.map(column).join(', ')}) DO UPDATE SET ${[
        ...others.map((field) => `${column(field)} = excluded.${column(field)}`),
        mapping.revive,
      ].join(', ')}`
    : '';
  const encodeInsert = encoder(mapping, rule.defaults, fields, mapping.stamped ? 1 : 0);
  const insert: Write<S, [stamp: string]> = {
    sql: `INSERT INTO ${table} (${insertColumns.join(', ')})
          VALUES (${insertColumns.map(() => '?').join(', ')})${revive}`,
    run: (stmt, row, stamp) => stmt.run(...encodeInsert(row, stamp)),
  };

  const encodeUpdate = encoder(mapping, rule.defaults, [...others, ...keyFields], 0);
  const update: Write<S, []> | undefined =
    others.length === 0
      ? undefined
      : {
          sql: `UPDATE ${table} SET ${others.map((field) => `${column(field)} = ?`).join(', ')}
                 WHERE ${keyFields.map((field) => `${column(field)} = ?`).join(' AND ')}`,
          run: (stmt, row) => stmt.run(...encodeUpdate(row, undefined)),
        };

  return {
    readCurrent,
    insert,
    ...(update ? { update } : {}),
    ...(mapping.park ? { park: mapping.park } : {}),
    remove: mapping.remove,
  };
}

function columnName(column: Column): string {
  return typeof column === 'string' ? column : column.flag;
}

/**
 * The column values of `fields` for a row, then `extra` trailing values (the stamp). A field
 * left out is its section's default, or NULL, as the diff reads it; flags are 1/0.
 */
function encoder<S extends SectionName>(
  mapping: TableMapping<S>,
  defaults: Partial<SectionRows[S]> | undefined,
  fields: ReadonlyArray<FieldOf<S>>,
  extra: number,
): (row: SectionRows[S], stamp: string | undefined) => unknown[] {
  const flags = fields.map((field) => typeof mapping.columns[field] !== 'string');
  const fallbacks = fields.map((field) => defaults?.[field] ?? null);
  const values: unknown[] = new Array(fields.length + extra);
  return (row, stamp) => {
    for (let i = 0; i < fields.length; i++) {
      const value = row[fields[i] as FieldOf<S>] ?? fallbacks[i];
      values[i] = flags[i] ? (value ? 1 : 0) : value;
    }
    if (extra > 0) values[fields.length] = stamp;
    return values;
  };
}
