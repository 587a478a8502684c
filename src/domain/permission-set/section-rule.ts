/** What the validator, the merge and the store's diff know of a section: its SectionRule. */

import type { SectionName, SectionRows } from './wire.js';

export interface SetContext {
  slotCount: number;
  /**
   * Keys out on loan now, with the tag and home slot they keep while out. One the set leaves
   * out is retired but keeps both until it comes back, so no key of the set may take them.
   */
  keysOut?: ReadonlyArray<{ id: number; tag: string; homeSlot: number }>;
}

/** A row's identity within its section: the diff and removals match rows by it. */
export type RowKey = number | string;

/** Returns what is wrong with a value, or undefined when it is fine. */
export type FieldCheck = (value: unknown, context: SetContext) => string | undefined;

export interface SectionRule<S extends SectionName> {
  /** Every field of a row, in the order problems are reported; also what the diff compares. */
  fields: { [F in keyof SectionRows[S]]-?: FieldCheck };
  key(row: SectionRows[S]): RowKey;
  /** The fields `key` reads. */
  keyFields: ReadonlyArray<keyof SectionRows[S] & string>;
  /** Where a clash of identities is reported, after the row's path: ".id", or the row itself. */
  keyPath: string;
  /** The identity as it reads in a path: "id=12", "holderId=3,slot=2". */
  keyText(row: SectionRows[S]): string;
  /** A row named by its key, for messages: "holder 12". */
  describe(key: RowKey): string;
  /** Reads a delta's removal entry; problems are pushed with `path`. */
  removal(
    value: unknown,
    path: string,
    context: SetContext,
    problems: string[],
  ): RowKey | undefined;
  /** Fields no two rows may share, with what the value is called in a message. */
  unique: ReadonlyArray<{ field: keyof SectionRows[S] & string; what: string }>;
  /** Fields naming a row of another section, which must be in the set. */
  references: ReadonlyArray<{ field: keyof SectionRows[S] & string; section: SectionName }>;
  /** Fields a row may leave out; the diff and the store read an absent one as its default, or null. */
  optional?: ReadonlyArray<keyof SectionRows[S] & string>;
  defaults?: Partial<SectionRows[S]>;
  /**
   * A section added after the first servers: a full set without it has it empty, so a server
   * that knows nothing of the policy sections still sends a valid set.
   */
  optionalSection?: boolean;
  /**
   * A section a full set may leave out to keep the rows in force rather than empty it: it
   * holds what the cabinet had before any server sent it (seeded defaults, a custodian's
   * entries), and an older server that knows nothing of it must not wipe that silently.
   * Sent, even as an empty list, it replaces the rows in force.
   */
  keptWhenAbsent?: boolean;
  /**
   * Checks over the whole section that need the cabinet's state (passed in the context). A
   * function property, not a method: the checks take it out of its rule to call it.
   */
  extra?: (
    rows: ReadonlyArray<SectionRows[S]>,
    context: SetContext,
  ) => Array<{ index: number; field: string; problem: string }>;
}
