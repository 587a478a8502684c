import { expect, it } from 'vitest';
import { checkOverdue, takeRefusal, type OpenLoan } from '../../../src/domain/loans.js';

const DUE = Date.parse('2026-11-24T10:30:00Z');
const loan: OpenLoan = { keyId: 100, holderId: 1, dueAtMs: DUE };
const settings = { reminderMs: 15 * 60_000 };

it('not overdue a millisecond before the due instant; overdue at it, announced once', () => {
  const before = checkOverdue({}, [loan], DUE - 1, 5_000, settings);
  expect(before).toEqual({ book: {}, overdue: [], reminders: [] });
  const at = checkOverdue({}, [loan], DUE, 5_000, settings);
  expect(at.overdue).toEqual([loan]);
  const again = checkOverdue(at.book, [loan], DUE + 1_000, 6_000, settings);
  expect(again.overdue).toEqual([]);
  expect(again.reminders).toEqual([]);
});

it('reminders come every interval on the monotonic clock until the key is back', () => {
  let { book } = checkOverdue({}, [loan], DUE, 0, settings);
  const reminders: number[] = [];
  for (let mono = 60_000; mono <= 60 * 60_000; mono += 60_000) {
    const check = checkOverdue(book, [loan], DUE + mono, mono, settings);
    if (check.reminders.length > 0) reminders.push(mono / 60_000);
    book = check.book;
  }
  expect(reminders).toEqual([15, 30, 45, 60]);
  const back = checkOverdue(book, [], DUE + 61 * 60_000, 61 * 60_000, settings);
  expect(back.book).toEqual({});
});

it('a reminder is not due a millisecond early', () => {
  const { book } = checkOverdue({}, [loan], DUE, 0, settings);
  expect(checkOverdue(book, [loan], DUE, settings.reminderMs - 1, settings).reminders).toEqual([]);
  expect(checkOverdue(book, [loan], DUE, settings.reminderMs, settings).reminders).toEqual([loan]);
});

it('a loan with no due time is never overdue', () => {
  const open = { ...loan, dueAtMs: null };
  expect(checkOverdue({}, [open], DUE * 2, 0, settings).overdue).toEqual([]);
});

it('an overdue key blocks taking from its due instant on, when configured', () => {
  const rules = { overdueBlocksTaking: true };
  expect(takeRefusal([loan], DUE - 1, rules)).toBeNull();
  expect(takeRefusal([loan], DUE, rules)).toBe('overdue_key');
  expect(takeRefusal([loan], DUE, { overdueBlocksTaking: false })).toBeNull();
});

it('the maximum number of keys out: one below it may take, at it may not', () => {
  const rules = { overdueBlocksTaking: true, maxKeysOut: 2 };
  const second = { ...loan, keyId: 200, dueAtMs: null };
  expect(takeRefusal([loan], DUE - 1, rules)).toBeNull();
  expect(takeRefusal([loan, second], DUE - 1, rules)).toBe('loan_limit');
  expect(takeRefusal([], DUE, { overdueBlocksTaking: true, maxKeysOut: 0 })).toBe('loan_limit');
});
