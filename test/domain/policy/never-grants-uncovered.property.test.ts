import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../src/domain/access-decision.js';
import type {
  IsoWeekday,
  PolicyGrant,
  Schedule,
  SlotPermission,
  Validity,
} from '../../../src/domain/model.js';
import { alice, aliceCard } from './policy-fixtures.js';

const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata'];
const FROM = Date.parse('2026-01-01T00:00:00Z');
const TO = Date.parse('2027-01-01T00:00:00Z');
const DAY = 86_400_000;

const instant = fc.integer({ min: FROM, max: TO });
const validity: fc.Arbitrary<Validity> = fc.record(
  { validFromMs: fc.option(instant), validUntilMs: fc.option(instant) },
  { requiredKeys: [] },
);
const window = fc
  .tuple(
    fc.integer({ min: 1, max: 7 }),
    fc.integer({ min: 0, max: 1439 }),
    fc.integer({ min: 1, max: 1440 }),
  )
  .filter(([, s, e]) => s < e)
  .map(([day, startMinute, endMinute]) => ({ day: day as IsoWeekday, startMinute, endMinute }));
const exception = fc.record({
  date: instant.map((ms) => new Date(ms).toISOString().slice(0, 10)),
  kind: fc.constantFrom('closed' as const, 'open' as const),
  startMinute: fc.constant(null),
  endMinute: fc.constant(null),
});
const schedule: fc.Arbitrary<Schedule> = fc.record({
  id: fc.constant(1),
  windows: fc.array(window, { maxLength: 6 }),
  exceptions: fc.array(exception, { maxLength: 3 }),
});
const slots = fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 4 });
const grant: fc.Arbitrary<PolicyGrant> = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 1, max: 3 }).map((holderId) => ({ kind: 'holder' as const, holderId })),
      fc.integer({ min: 1, max: 4 }).map((groupId) => ({ kind: 'group' as const, groupId })),
    ),
    slots,
    fc.option(schedule),
    validity,
    fc.nat(),
  )
  .map(([subject, s, sched, v, id]) => ({ id, subject, slots: s, schedule: sched, ...v }));
const permission: fc.Arbitrary<SlotPermission> = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }), validity)
  .map(([holderId, slot, v]) => ({ holderId, slot, ...v }));

/** The oracle's own reading of local time: toLocale* rather than formatToParts. */
function local(nowMs: number, timeZone: string) {
  const date = new Date(nowMs).toLocaleDateString('en-CA', { timeZone });
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  const [h, m] = new Date(nowMs)
    .toLocaleTimeString('en-GB', { timeZone, hour12: false })
    .split(':')
    .map(Number);
  return { date, weekday: day === 0 ? 7 : day, minute: ((h ?? 0) % 24) * 60 + (m ?? 0) };
}

function inWindow(v: Validity, now: number): boolean {
  return (
    (v.validFromMs == null || now >= v.validFromMs) &&
    (v.validUntilMs == null || now < v.validUntilMs)
  );
}

function open(s: Schedule, now: number, zone: string): boolean {
  const t = local(now, zone);
  const today = s.exceptions.filter((e) => e.date === t.date);
  if (today.some((e) => e.kind === 'closed')) return false;
  if (today.some((e) => e.kind === 'open')) return true;
  return s.windows.some(
    (w) => w.day === t.weekday && t.minute >= w.startMinute && t.minute < w.endMinute,
  );
}

describe('the decision never grants a slot that no permission covers (property)', () => {
  it('grants exactly the slots covered by a valid, in-schedule permission of the holder or a group', () => {
    fc.assert(
      fc.property(
        fc.array(permission, { maxLength: 6 }),
        fc.array(grant, { maxLength: 6 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 3 }),
        fc.oneof(
          instant,
          instant.map((ms) => ms - (ms % DAY)),
        ),
        fc.constantFrom(...ZONES),
        validity,
        (permissions, grants, groupIds, unreleasable, now, zone, holderValidity) => {
          const holder = { ...alice, ...holderValidity };
          const decision = decideAccess({
            credential: aliceCard,
            holder,
            permissions,
            keysOut: 0,
            nowMs: now,
            policy: { groupIds, grants, unreleasableSlots: unreleasable, timeZone: zone },
          });
          const covered = new Set<number>();
          if (inWindow(holder, now)) {
            for (const p of permissions) {
              if (p.holderId === 1 && inWindow(p, now)) covered.add(p.slot);
            }
            for (const g of grants) {
              const mine =
                g.subject.kind === 'holder'
                  ? g.subject.holderId === 1
                  : groupIds.includes(g.subject.groupId);
              if (mine && inWindow(g, now) && (!g.schedule || open(g.schedule, now, zone))) {
                g.slots.forEach((s) => covered.add(s));
              }
            }
          }
          unreleasable.forEach((s) => covered.delete(s));
          if (decision.granted) {
            for (const s of decision.slots) expect(covered.has(s)).toBe(true);
            expect(decision.slots).toEqual([...covered].sort((a, b) => a - b));
          } else {
            expect(covered.size).toBe(0);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
