import type { Actor, NewEvent } from '../domain/events.js';
import type { ImportRecords } from '../store/import-records.js';

/** What one valid row asks for: a change to write, or nothing when the records already agree. */
export interface RowChange {
  /** Writes the change (inside the import's transaction) and returns its audit event. */
  apply(actor: Actor, now: string): NewEvent;
}

/**
 * One importable file kind. `check` reads the records but never writes: every row is checked
 * before anything is applied, so one bad row stops them all. Throws FieldError for a bad row.
 */
export interface ImportKind {
  name: 'holders' | 'credentials' | 'permissions';
  headers: readonly string[];
  /**
   * Per import run, with its statements prepared once: remembers the rows already seen (a file
   * may not name a record twice). `now` refuses new records whose validity has already ended.
   */
  checker(
    records: ImportRecords,
    now: Date,
    cabinet?: ImportCabinet,
  ): (row: Readonly<Record<string, string>>) => RowChange | null;
  /** The current records as CSV rows, in header order; `cards` shows full card numbers. */
  exportRows(records: ImportRecords, options: { cards: boolean }): unknown[][];
}

/** What the cabinet's hardware allows, for checks a file cannot make alone. */
export interface ImportCabinet {
  /** Why the badge reader can never send this (upper-cased) card number; undefined: it can. */
  cardRefusal?: (card: string) => string | undefined;
}
