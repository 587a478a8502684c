import { expect, it } from 'vitest';
import { dueAt, nextCurfew } from '../../../src/domain/loans.js';

const at = (iso: string): number => Date.parse(iso);
const ZONE = 'Europe/London';

it('the strictest limit sets the due time: key, permission and group limits together', () => {
  const out = at('2026-11-24T09:00:00Z');
  const due = dueAt(
    out,
    [
      { source: 'key', maxMinutes: 240 },
      { source: 'permission', maxMinutes: 90 },
      { source: 'group', maxMinutes: 120 },
    ],
    ZONE,
  );
  expect(due).toBe(at('2026-11-24T10:30:00Z'));
});

it('no limit: no due time', () => {
  expect(dueAt(at('2026-11-24T09:00:00Z'), [], ZONE)).toBeNull();
  expect(dueAt(at('2026-11-24T09:00:00Z'), [{ source: 'key' }], ZONE)).toBeNull();
});

it('a curfew earlier than the maximum period wins, and the other way round', () => {
  const out = at('2026-11-24T15:00:00Z'); // 15:00 in London (GMT)
  const curfew17 = { source: 'group', curfewMinute: 17 * 60 } as const;
  expect(dueAt(out, [{ source: 'key', maxMinutes: 240 }, curfew17], ZONE)).toBe(
    at('2026-11-24T17:00:00Z'),
  );
  expect(dueAt(out, [{ source: 'key', maxMinutes: 60 }, curfew17], ZONE)).toBe(
    at('2026-11-24T16:00:00Z'),
  );
});

it('a curfew is a local time of day: in summer London is an hour ahead of UTC', () => {
  expect(nextCurfew(at('2026-07-01T12:00:00Z'), 18 * 60, ZONE)).toBe(at('2026-07-01T17:00:00Z'));
});

it('a key taken a minute before curfew is due at curfew; taken at curfew, the next day', () => {
  expect(nextCurfew(at('2026-11-24T16:59:00Z'), 17 * 60, ZONE)).toBe(at('2026-11-24T17:00:00Z'));
  expect(nextCurfew(at('2026-11-24T17:00:00Z'), 17 * 60, ZONE)).toBe(at('2026-11-25T17:00:00Z'));
});

it('across the autumn change the curfew stays at the local time (18:00 BST → 18:00 GMT)', () => {
  // Taken on Saturday 24 October 2026 at 19:00 BST; clocks go back on Sunday 25 October.
  expect(nextCurfew(at('2026-10-24T18:00:00Z'), 18 * 60, ZONE)).toBe(at('2026-10-25T18:00:00Z'));
});

it('across the spring change too (18:00 GMT → 18:00 BST)', () => {
  // Clocks go forward on Sunday 29 March 2026.
  expect(nextCurfew(at('2026-03-28T19:00:00Z'), 18 * 60, ZONE)).toBe(at('2026-03-29T17:00:00Z'));
});
