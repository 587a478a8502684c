import { describe, expect, it } from 'vitest';
import { eventId } from '../../src/store/event-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const AT = Date.parse('2026-12-07T04:30:00.123Z');

/** The 48-bit millisecond time at the front of a version 7 UUID. */
function timeOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

describe('event ids', () => {
  it('are version 7 UUIDs, lower case, with the recording time in their first 48 bits', () => {
    const id = eventId(AT);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBe(AT);
  });

  it('take their 74 random bits from a version 4 UUID, with its variant', () => {
    expect(eventId(AT, () => '00000000-0000-4000-8000-000000000000')).toBe(
      '01a24ec4-09bb-7000-8000-000000000000',
    );
    expect(eventId(AT, () => 'ffffffff-ffff-4fff-bfff-ffffffffffff')).toBe(
      '01a24ec4-09bb-7fff-bfff-ffffffffffff',
    );
  });

  it('sort in recording order when the time moves on, so the UNIQUE index appends', () => {
    const ids = Array.from({ length: 200 }, (_, i) => eventId(AT + i));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differ within one millisecond: 74 random bits each', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => eventId(AT)));
    expect(ids.size).toBe(20_000);
  });

  it('clamp a wall time outside the 48-bit range instead of writing a wrong UUID', () => {
    expect(timeOf(eventId(-5_000))).toBe(0);
    expect(timeOf(eventId(2 ** 50))).toBe(2 ** 48 - 1);
    expect(eventId(-5_000)).toMatch(UUID_V7);
    expect(eventId(Number.NaN)).toMatch(UUID_V7);
  });
});
