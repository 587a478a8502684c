import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  daysInMonth,
  formatInstant,
  LATEST_INSTANT_MS,
  readInstant,
} from '../../../src/domain/values/instant.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Any text of the accepted shape, valid or not: fields range past their limits on purpose. */
const shaped = fc
  .record({
    year: fc.integer({ min: 1960, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.option(fc.integer({ min: 0, max: 61 })),
    fraction: fc.option(fc.stringMatching(/^\d{1,3}$/)),
    zone: fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          fc.integer({ min: 0, max: 15 }),
          fc.integer({ min: 0, max: 59 }),
        )
        .map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`),
    ),
  })
  .map((f) => ({
    ...f,
    text:
      `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}` +
      (f.second === null ? '' : `:${pad(f.second)}${f.fraction === null ? '' : `.${f.fraction}`}`) +
      f.zone,
  }));

describe('the instant reader, property-tested', () => {
  it('reads every canonical text back to the very same instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LATEST_INSTANT_MS }), (ms) => {
        const read = readInstant(formatInstant(ms));
        expect(read).toEqual({ ok: true, value: { ms, iso: formatInstant(ms) } });
      }),
      { numRuns: 2000 },
    );
  });

  it('is stable: whatever it accepts, its canonical text reads back as the same instant', () => {
    fc.assert(
      fc.property(shaped, ({ text }) => {
        const first = readInstant(text);
        if (!first.ok) return;
        const again = readInstant(first.value.iso);
        expect(again).toEqual(first);
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts exactly the dates, times and offsets that exist', () => {
    fc.assert(
      fc.property(shaped, (f) => {
        const offset =
          f.zone === 'Z' ? 0 : Number(f.zone.slice(1, 3)) * 60 + Number(f.zone.slice(4));
        const signed = f.zone.startsWith('-') ? -offset : offset;
        const exists =
          f.year >= 1970 &&
          f.month >= 1 &&
          f.month <= 12 &&
          f.day >= 1 &&
          f.day <= daysInMonth(f.year, f.month) &&
          f.hour <= 23 &&
          f.minute <= 59 &&
          (f.second ?? 0) <= 59 &&
          f.zone !== '-00:00' &&
          [0, 30, 45].includes(offset % 60) &&
          signed >= -720 &&
          signed <= 840;
        const read = readInstant(f.text);
        if (!exists) {
          expect(read.ok, f.text).toBe(false);
          return;
        }
        // An instant that exists but falls outside 1970–9999 after its offset is also refused.
        const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second ?? 0);
        const fraction = f.second === null ? '' : (f.fraction ?? '');
        const ms = wall + Number(fraction.padEnd(3, '0')) - signed * 60_000;
        if (ms < 0 || ms > LATEST_INSTANT_MS) expect(read.ok, f.text).toBe(false);
        else expect(read, f.text).toEqual({ ok: true, value: { ms, iso: formatInstant(ms) } });
      }),
      { numRuns: 10_000 },
    );
  });

  it('never accepts what Date would roll over', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 29, max: 31 }),
        (year, month, day) => {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T12:00Z`;
          const read = readInstant(text);
          const rolled = new Date(Date.parse(text)).getUTCDate() !== day;
          expect(read.ok).toBe(!rolled && day <= daysInMonth(year, month));
        },
      ),
    );
  });
});
