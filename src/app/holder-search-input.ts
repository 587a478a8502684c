import { KeywardenError } from '../errors.js';
import type { HolderSearch } from '../store/custodian/holder-search.js';
import { freeTextProblem } from '../domain/values/free-text.js';

/** What a caller may ask of `holders.search`, as JSON carries it. */
export interface HolderSearchInput {
  text?: string;
  groupId?: number;
  enabled?: boolean;
  expired?: boolean;
  keysOut?: boolean;
  offset?: number;
  limit?: number;
}

/** The most rows of one page, and the furthest a page may start. */
export const MAX_HOLDER_PAGE = 100;
export const MAX_HOLDER_OFFSET = 10_000_000;

const usage = (message: string) => new KeywardenError('USAGE', message);

function whole(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw usage(
      `${field} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function yesNo(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw usage(`${field} must be true or false`);
  return value;
}

/** Checks every field by name: a bad one is named and nothing is read. */
export function checkedSearch(input: HolderSearchInput): Omit<HolderSearch, 'now'> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw usage('expected an object of search fields');
  }
  const known = ['text', 'groupId', 'enabled', 'expired', 'keysOut', 'offset', 'limit'];
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw usage(`no such search field: ${unknown.join(', ')}`);
  const search: Omit<HolderSearch, 'now'> = {
    offset: input.offset === undefined ? 0 : whole(input.offset, 'offset', 0, MAX_HOLDER_OFFSET),
    limit: input.limit === undefined ? 25 : whole(input.limit, 'limit', 1, MAX_HOLDER_PAGE),
  };
  if (input.text !== undefined) {
    if (typeof input.text !== 'string') throw usage('text must be text');
    const text = input.text.trim();
    if (text !== '') {
      const problem = freeTextProblem(text, 200);
      if (problem !== undefined) throw usage(`text ${problem}`);
      search.text = text;
    }
  }
  if (input.groupId !== undefined) search.groupId = whole(input.groupId, 'groupId', 1, 2 ** 53 - 1);
  const enabled = yesNo(input.enabled, 'enabled');
  if (enabled !== undefined) search.enabled = enabled;
  const expired = yesNo(input.expired, 'expired');
  if (expired !== undefined) search.expired = expired;
  const keysOut = yesNo(input.keysOut, 'keysOut');
  if (keysOut !== undefined) search.keysOut = keysOut;
  return search;
}
