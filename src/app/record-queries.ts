/**
 * The console's reads of the records that must stay fast however long the log and however many
 * the holders: a page of the event log by filter, a page of the access matrix. Their input
 * arrives as JSON from a web request or the socket: every field is checked here by name.
 */
import { KeywardenError } from '../errors.js';
import { accessMatrixPage, type AccessMatrixPage } from '../store/custodian/access-matrix-page.js';
import { searchEvents, type EventFilter, type EventPage } from '../store/custodian/event-search.js';
import type { ChangeScope } from '../store/custodian/scope.js';
import { instant } from './values.js';

export type { AccessMatrixPage } from '../store/custodian/access-matrix-page.js';
export type { EventFilter, EventPage, FoundEvent } from '../store/custodian/event-search.js';

/** The most events one page shows. */
export const MAX_EVENT_PAGE = 200;
/** The most holders one page of the access matrix shows. */
export const MAX_MATRIX_PAGE = 100;

const FILTER_FIELDS = ['type', 'holderId', 'keyId', 'from', 'to', 'beforeSeq', 'limit'] as const;
/** An event type as the log writes them: `key.taken`, `door.held_open`. */
const EVENT_TYPE = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;

export function recordQueries(s: ChangeScope) {
  return {
    /** A page of the event log, newest first, matching every condition given. */
    searchEvents: (filter: EventFilter): EventPage => searchEvents(s.db, checkedFilter(filter)),
    /** The access matrix for a page of holders (by id), with every slot as a column. */
    accessMatrixPage: (page: { offset: number; limit: number }): AccessMatrixPage => {
      const given = fieldsOf(page, ['offset', 'limit']);
      return accessMatrixPage(s.db, {
        offset: whole(given.offset, 'offset', 0, Number.MAX_SAFE_INTEGER),
        limit: whole(given.limit, 'limit', 1, MAX_MATRIX_PAGE),
      });
    },
  };
}

function checkedFilter(filter: unknown): EventFilter {
  const given = fieldsOf(filter, FILTER_FIELDS);
  const checked: EventFilter = { limit: whole(given.limit, 'limit', 1, MAX_EVENT_PAGE) };
  if (given.type !== undefined) {
    if (typeof given.type !== 'string' || given.type.length > 40 || !EVENT_TYPE.test(given.type)) {
      throw wrong('type', 'an event type such as key.taken', given.type);
    }
    checked.type = given.type;
  }
  for (const name of ['holderId', 'keyId', 'beforeSeq'] as const) {
    if (given[name] !== undefined)
      checked[name] = whole(given[name], name, 1, Number.MAX_SAFE_INTEGER);
  }
  for (const name of ['from', 'to'] as const) {
    const value = given[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw wrong(name, 'an instant with its zone', value);
    checked[name] = instant(value, name);
  }
  if (checked.from !== undefined && checked.to !== undefined && checked.from >= checked.to) {
    throw new KeywardenError('USAGE', `from must be before to (${checked.from} ≥ ${checked.to})`);
  }
  return checked;
}

export function fieldsOf(value: unknown, only: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KeywardenError('USAGE', `expected an object of fields, not ${JSON.stringify(value)}`);
  }
  const unknown = Object.keys(value).filter((name) => !only.includes(name));
  if (unknown.length > 0) {
    throw new KeywardenError(
      'USAGE',
      `no such field: ${unknown.join(', ')} (this operation takes ${only.join(', ')})`,
    );
  }
  return value as Record<string, unknown>;
}

export function whole(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw wrong(name, `a whole number from ${min} to ${max}`, value);
  }
  return value;
}

function wrong(name: string, expected: string, value: unknown): KeywardenError {
  return new KeywardenError('USAGE', `${name} must be ${expected}, not ${JSON.stringify(value)}`);
}
