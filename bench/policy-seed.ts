import { ensureSlots } from '../src/store/slots.js';
import { openDatabase } from '../src/store/database.js';
import { randomInt, type Random } from './prng.js';
import { cardNumber } from './seed-holders.js';

/**
 * The access policy at a given scale, in proportions a large site might have: one access group
 * per 50 holders, each holder in one to three groups, two grants per group (a key set on an
 * evening schedule, a slot at any time), 30 % of holders with one direct permission, 10 % with
 * a personal grant bounded in time, 5 % contractors with an end date. Twelve schedules of five
 * to ten windows and ten holidays; eight key sets of six keys; two lost keys.
 */
export const POLICY_SHAPE = {
  slotCount: 48,
  holdersPerGroup: 50,
  schedules: 12,
  keySets: 8,
  keysPerSet: 6,
  lostKeys: 2,
} as const;

const BATCH = 20_000;
const T = '2026-01-01T00:00:00.000Z';

export function seedPolicy(file: string, holders: number, random: Random): { cards: string[] } {
  const db = openDatabase(file);
  try {
    const { slotCount, keySets, keysPerSet, schedules, lostKeys } = POLICY_SHAPE;
    const groups = Math.max(1, Math.ceil(holders / POLICY_SHAPE.holdersPerGroup));
    ensureSlots(db, slotCount);
    db.transaction(() => {
      const key = db.prepare(
        'INSERT INTO keys (id, tag, label, home_slot, state, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (let slot = 1; slot <= slotCount; slot++) {
        const tag = `C0${String(slot).padStart(8, '0')}`;
        key.run(slot, tag, `K-${slot}`, slot, slot <= lostKeys ? 'lost' : 'active', T);
      }
      const set = db.prepare('INSERT INTO key_sets (id, name, created_at) VALUES (?, ?, ?)');
      const member = db.prepare('INSERT INTO key_set_members (key_set_id, key_id) VALUES (?, ?)');
      for (let s = 1; s <= keySets; s++) {
        set.run(s, `Set ${s}`, T);
        for (let k = 0; k < keysPerSet; k++)
          member.run(s, (((s - 1) * keysPerSet + k) % slotCount) + 1);
      }
      const schedule = db.prepare('INSERT INTO schedules (id, name, created_at) VALUES (?, ?, ?)');
      const window = db.prepare(
        'INSERT INTO schedule_windows (schedule_id, day, start_minute, end_minute) VALUES (?, ?, ?, ?)',
      );
      const holiday = db.prepare(
        "INSERT INTO schedule_exceptions (schedule_id, date, kind) VALUES (?, ?, 'closed')",
      );
      for (let s = 1; s <= schedules; s++) {
        schedule.run(s, `Schedule ${s}`, T);
        const windows = randomInt(random, 5, 10);
        for (let w = 0; w < windows; w++) {
          const start = randomInt(random, 0, 20) * 60;
          window.run(s, (w % 7) + 1, start, Math.min(1440, start + randomInt(random, 2, 10) * 60));
        }
        for (let d = 1; d <= 10; d++) holiday.run(s, `2026-${String(d).padStart(2, '0')}-01`);
      }
      const group = db.prepare('INSERT INTO access_groups (id, name, created_at) VALUES (?, ?, ?)');
      const grant = db.prepare(
        `INSERT INTO policy_grants (group_id, holder_id, slot, key_set_id, schedule_id, valid_from,
           valid_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (let g = 1; g <= groups; g++) {
        group.run(g, `Group ${g}`, T);
        grant.run(
          g,
          null,
          null,
          randomInt(random, 1, keySets),
          randomInt(random, 1, schedules),
          null,
          null,
          T,
        );
        grant.run(g, null, randomInt(random, 1, slotCount), null, null, null, null, T);
      }
    })();

    const holder = db.prepare(
      'INSERT INTO holders (id, name, valid_until, created_at) VALUES (?, ?, ?, ?)',
    );
    const card = db.prepare(
      'INSERT INTO credentials (holder_id, card, created_at) VALUES (?, ?, ?)',
    );
    const membership = db.prepare(
      'INSERT OR IGNORE INTO group_members (holder_id, group_id) VALUES (?, ?)',
    );
    const permission = db.prepare(
      'INSERT INTO permissions (holder_id, slot, created_at) VALUES (?, ?, ?)',
    );
    const personal = db.prepare(
      `INSERT INTO policy_grants (holder_id, slot, valid_from, valid_until, created_at)
       VALUES (?, ?, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', ?)`,
    );
    const cards: string[] = [];
    const batch = db.transaction((from: number, to: number) => {
      for (let id = from; id <= to; id++) {
        const contractor = random() < 0.05;
        holder.run(id, `Holder ${id}`, contractor ? '2027-06-30T17:00:00.000Z' : null, T);
        const number = cardNumber(id);
        card.run(id, number, T);
        cards.push(number);
        const inGroups = randomInt(random, 1, 3);
        for (let g = 0; g < inGroups; g++) membership.run(id, randomInt(random, 1, groups));
        if (random() < 0.3) permission.run(id, randomInt(random, 1, slotCount), T);
        if (random() < 0.1) personal.run(id, randomInt(random, 1, slotCount), T);
      }
    });
    for (let from = 1; from <= holders; from += BATCH)
      batch(from, Math.min(holders, from + BATCH - 1));
    db.exec('ANALYZE');
    return { cards };
  } finally {
    db.close();
  }
}
