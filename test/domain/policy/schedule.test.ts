import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../src/domain/access-decision.js';
import { isValidTimeZone, localTimeAt } from '../../../src/domain/policy/local-time.js';
import type { Schedule } from '../../../src/domain/model.js';
import { at, H, holderGrant, request, weekdays } from './policy-fixtures.js';

/** The slots a holder with these grants gets at `iso` in `zone`, or the denial reason. */
function outcome(iso: string, zone: string, schedule: Schedule) {
  const grants = [holderGrant(1, [1], { schedule })];
  const decision = decideAccess(request(at(iso), { grants, timeZone: zone }));
  return decision.granted ? decision.slots : decision.reason;
}

const sunday = (from: number, to: number): Schedule => ({
  id: 2,
  windows: [{ day: 7, startMinute: from, endMinute: to }],
  exceptions: [],
});

describe('weekly windows at their edges', () => {
  const office = weekdays(8 * H, 18 * H);

  it('opens at 08:00 and closes at 18:00 London time, in winter (GMT)', () => {
    expect(outcome('2026-11-23T07:59:59.999Z', 'Europe/London', office)).toBe('outside_schedule');
    expect(outcome('2026-11-23T08:00:00Z', 'Europe/London', office)).toEqual([1]);
    expect(outcome('2026-11-23T17:59:59.999Z', 'Europe/London', office)).toEqual([1]);
    expect(outcome('2026-11-23T18:00:00Z', 'Europe/London', office)).toBe('outside_schedule');
  });

  it('and in summer (BST, one hour ahead of UTC)', () => {
    expect(outcome('2026-06-01T06:59:59Z', 'Europe/London', office)).toBe('outside_schedule');
    expect(outcome('2026-06-01T07:00:00Z', 'Europe/London', office)).toEqual([1]);
    expect(outcome('2026-06-01T16:59:59Z', 'Europe/London', office)).toEqual([1]);
    expect(outcome('2026-06-01T17:00:00Z', 'Europe/London', office)).toBe('outside_schedule');
  });

  it('reads the weekday in the zone, not in UTC', () => {
    // Friday 2026-11-27 20:00 in New York is already Saturday 01:00 UTC.
    const friday = weekdays(19 * H, 21 * H);
    expect(outcome('2026-11-28T01:00:00Z', 'America/New_York', friday)).toEqual([1]);
    expect(outcome('2026-11-28T01:00:00Z', 'UTC', friday)).toBe('outside_schedule');
  });

  it('is closed at the weekend', () => {
    expect(outcome('2026-11-28T10:00:00Z', 'Europe/London', office)).toBe('outside_schedule');
  });

  it('admits a window that runs to midnight up to the last minute', () => {
    const evening = weekdays(18 * H, 24 * H);
    expect(outcome('2026-11-23T23:59:59Z', 'UTC', evening)).toEqual([1]);
    expect(outcome('2026-11-24T00:00:00Z', 'UTC', evening)).toBe('outside_schedule');
  });
});

describe('daylight-saving changes', () => {
  const early = sunday(1 * H, 3 * H);

  it('New York spring-forward night: 01:00–03:00 lasts one real hour', () => {
    // 2026-03-08: 02:00 EST (07:00Z) becomes 03:00 EDT.
    expect(outcome('2026-03-08T05:59:59Z', 'America/New_York', early)).toBe('outside_schedule');
    expect(outcome('2026-03-08T06:00:00Z', 'America/New_York', early)).toEqual([1]); // 01:00 EST
    expect(outcome('2026-03-08T06:59:59Z', 'America/New_York', early)).toEqual([1]); // 01:59 EST
    expect(outcome('2026-03-08T07:00:00Z', 'America/New_York', early)).toBe('outside_schedule'); // 03:00 EDT
  });

  it('New York fall-back night: 01:00–03:00 lasts three real hours', () => {
    // 2026-11-01: 02:00 EDT (06:00Z) becomes 01:00 EST; 01:xx happens twice.
    expect(outcome('2026-11-01T04:59:59Z', 'America/New_York', early)).toBe('outside_schedule');
    expect(outcome('2026-11-01T05:00:00Z', 'America/New_York', early)).toEqual([1]); // 01:00 EDT
    expect(outcome('2026-11-01T06:30:00Z', 'America/New_York', early)).toEqual([1]); // 01:30 EST
    expect(outcome('2026-11-01T07:59:59Z', 'America/New_York', early)).toEqual([1]); // 02:59 EST
    expect(outcome('2026-11-01T08:00:00Z', 'America/New_York', early)).toBe('outside_schedule'); // 03:00 EST
  });

  it('London spring-forward night: only 02:00–03:00 BST of the window exists', () => {
    // 2026-03-29: 01:00 GMT (01:00Z) becomes 02:00 BST.
    expect(outcome('2026-03-29T00:59:59Z', 'Europe/London', early)).toBe('outside_schedule'); // 00:59 GMT
    expect(outcome('2026-03-29T01:00:00Z', 'Europe/London', early)).toEqual([1]); // 02:00 BST
    expect(outcome('2026-03-29T01:59:59Z', 'Europe/London', early)).toEqual([1]); // 02:59 BST
    expect(outcome('2026-03-29T02:00:00Z', 'Europe/London', early)).toBe('outside_schedule'); // 03:00 BST
  });

  it('London fall-back night: 01:00 comes twice and both are inside', () => {
    // 2026-10-25: 02:00 BST (01:00Z) becomes 01:00 GMT.
    expect(outcome('2026-10-24T23:59:59Z', 'Europe/London', early)).toBe('outside_schedule'); // 00:59 BST
    expect(outcome('2026-10-25T00:00:00Z', 'Europe/London', early)).toEqual([1]); // 01:00 BST
    expect(outcome('2026-10-25T01:00:00Z', 'Europe/London', early)).toEqual([1]); // 01:00 GMT
    expect(outcome('2026-10-25T02:59:59Z', 'Europe/London', early)).toEqual([1]); // 02:59 GMT
    expect(outcome('2026-10-25T03:00:00Z', 'Europe/London', early)).toBe('outside_schedule');
  });

  it('an office window keeps its local hours across the change', () => {
    const office = weekdays(8 * H, 18 * H);
    // Friday before (EDT, UTC-4) and Monday after (EST, UTC-5) the New York fall-back.
    expect(outcome('2026-10-30T12:00:00Z', 'America/New_York', office)).toEqual([1]);
    expect(outcome('2026-10-30T11:59:59Z', 'America/New_York', office)).toBe('outside_schedule');
    expect(outcome('2026-11-02T13:00:00Z', 'America/New_York', office)).toEqual([1]);
    expect(outcome('2026-11-02T12:59:59Z', 'America/New_York', office)).toBe('outside_schedule');
  });
});

describe('dated exceptions', () => {
  it('a holiday closes a weekday in the zone, from local midnight to local midnight', () => {
    const office = weekdays(0, 24 * H, {
      exceptions: [{ date: '2026-12-25', kind: 'closed' }],
    });
    const zone = 'America/New_York';
    expect(outcome('2026-12-25T04:59:59Z', zone, office)).toEqual([1]); // Thu 23:59 local
    expect(outcome('2026-12-25T05:00:00Z', zone, office)).toBe('outside_schedule'); // Fri 00:00
    expect(outcome('2026-12-26T04:59:59Z', zone, office)).toBe('outside_schedule'); // Fri 23:59
  });

  it('a partial closure denies only its hours', () => {
    const office = weekdays(8 * H, 18 * H, {
      exceptions: [{ date: '2026-12-24', kind: 'closed', startMinute: 13 * H, endMinute: 24 * H }],
    });
    expect(outcome('2026-12-24T12:59:59Z', 'Europe/London', office)).toEqual([1]);
    expect(outcome('2026-12-24T13:00:00Z', 'Europe/London', office)).toBe('outside_schedule');
  });

  it('an extra opening admits outside the weekly windows, within its hours', () => {
    const office = weekdays(8 * H, 18 * H, {
      exceptions: [{ date: '2026-12-19', kind: 'open', startMinute: 9 * H, endMinute: 12 * H }],
    });
    expect(outcome('2026-12-19T08:59:59Z', 'Europe/London', office)).toBe('outside_schedule');
    expect(outcome('2026-12-19T09:00:00Z', 'Europe/London', office)).toEqual([1]);
    expect(outcome('2026-12-19T11:59:59Z', 'Europe/London', office)).toEqual([1]);
    expect(outcome('2026-12-19T12:00:00Z', 'Europe/London', office)).toBe('outside_schedule');
  });

  it('a closure wins over an opening on the same date', () => {
    const office = weekdays(8 * H, 18 * H, {
      exceptions: [
        { date: '2026-12-19', kind: 'open' },
        { date: '2026-12-19', kind: 'closed' },
      ],
    });
    expect(outcome('2026-12-19T10:00:00Z', 'Europe/London', office)).toBe('outside_schedule');
  });
});

describe('after-hours access is a permission with its own schedule', () => {
  const day = holderGrant(1, [1, 2], { schedule: weekdays(8 * H, 18 * H) });
  const night = holderGrant(1, [2], {
    schedule: {
      id: 3,
      windows: ([1, 2, 3, 4, 5, 6, 7] as const).flatMap((d) => [
        { day: d, startMinute: 18 * H, endMinute: 24 * H },
        { day: d, startMinute: 0, endMinute: 8 * H },
      ]),
      exceptions: [],
    },
  });
  const slots = (iso: string) =>
    decideAccess(request(at(iso), { grants: [day, night], timeZone: 'Europe/London' }));

  it('by day both slots, after hours only the night slot, across midnight', () => {
    expect(slots('2026-11-23T17:59:59Z')).toMatchObject({ slots: [1, 2] });
    expect(slots('2026-11-23T18:00:00Z')).toMatchObject({ slots: [2] });
    expect(slots('2026-11-24T00:00:00Z')).toMatchObject({ slots: [2] });
    expect(slots('2026-11-24T08:00:00Z')).toMatchObject({ slots: [1, 2] });
  });

  it('a grant without schedule holds at any time, and outside_schedule needs no other grant', () => {
    const always = holderGrant(1, [5]);
    const decision = decideAccess(request(at('2026-11-28T03:00:00Z'), { grants: [day, always] }));
    expect(decision).toMatchObject({ granted: true, slots: [5] });
  });
});

describe('local time', () => {
  it('knows IANA zones and refuses others', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('gives the local date, ISO weekday and minute', () => {
    expect(localTimeAt(at('2026-11-01T06:30:00Z'), 'America/New_York')).toEqual({
      date: '2026-11-01',
      weekday: 7,
      minute: 90,
    });
    expect(localTimeAt(at('2026-11-23T00:00:00Z'), 'UTC')).toEqual({
      date: '2026-11-23',
      weekday: 1,
      minute: 0,
    });
  });
});
