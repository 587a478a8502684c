import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../src/domain/access-decision.js';
import { policyInputsOf } from '../../src/domain/policy/policy-inputs.js';
import { ensureSlots } from '../../src/store/slots.js';
import type { Database } from '../../src/store/database.js';
import { SqliteDirectory } from '../../src/store/sqlite-directory.js';
import { SqlitePolicyLookups } from '../../src/store/policy-lookups.js';
import { expiriesBetween } from '../../src/domain/policy/expiries.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();
const T = '2026-01-01T00:00:00.000Z';

/**
 * Alice (1) is in group Night (7); Bob (2) in no group. Keys 1–4 live in slots 1–4; key set
 * "Store" (30) holds keys 2 and 3; key 3 is lost. Night may take the Store set from 18:00 to
 * 24:00 on weekdays, Alice slot 4 directly until 2026-12-01.
 */
function seeded(): Database {
  const { db } = temp.open();
  ensureSlots(db, 6);
  db.exec(`
    INSERT INTO holders (id, name, enabled, valid_from, valid_until, created_at)
      VALUES (1, 'Alice', 1, NULL, '2026-12-31T18:00:00.000Z', '${T}'), (2, 'Bob', 1, NULL, NULL, '${T}');
    INSERT INTO credentials (id, holder_id, card, enabled, valid_from, valid_until, created_at)
      VALUES (10, 1, 'C1', 1, '2026-02-01T00:00:00.000Z', NULL, '${T}');
    INSERT INTO keys (id, tag, label, home_slot, state, created_at) VALUES
      (1, 'A001', 'K-1', 1, 'active', '${T}'), (2, 'A002', 'K-2', 2, 'active', '${T}'),
      (3, 'A003', 'K-3', 3, 'lost', '${T}'), (4, 'A004', 'K-4', 4, 'active', '${T}');
    INSERT INTO access_groups (id, name, created_at) VALUES (7, 'Night', '${T}');
    INSERT INTO group_members (holder_id, group_id) VALUES (1, 7);
    INSERT INTO key_sets (id, name, created_at) VALUES (30, 'Store', '${T}');
    INSERT INTO key_set_members (key_set_id, key_id) VALUES (30, 2), (30, 3);
    INSERT INTO schedules (id, name, created_at) VALUES (5, 'Evenings', '${T}');
    INSERT INTO schedule_windows (schedule_id, day, start_minute, end_minute)
      VALUES (5, 1, 1080, 1440), (5, 2, 1080, 1440), (5, 3, 1080, 1440), (5, 4, 1080, 1440), (5, 5, 1080, 1440);
    INSERT INTO schedule_exceptions (schedule_id, date, kind, start_minute, end_minute)
      VALUES (5, '2026-12-24', 'closed', NULL, NULL);
    INSERT INTO policy_grants (id, group_id, key_set_id, schedule_id, created_at) VALUES (100, 7, 30, 5, '${T}');
    INSERT INTO policy_grants (id, holder_id, slot, valid_until, created_at)
      VALUES (101, 1, 4, '2026-12-01T00:00:00.000Z', '${T}');
  `);
  return db;
}

describe('SqliteDirectory: the policy lookups', () => {
  it('reads validity windows of holders and credentials as epoch ms', () => {
    const directory = new SqliteDirectory(seeded());
    expect(directory.holder(1)).toMatchObject({
      validFromMs: null,
      validUntilMs: Date.parse('2026-12-31T18:00:00Z'),
    });
    expect(directory.credentialByCard('C1')).toMatchObject({
      holderId: 1,
      validFromMs: Date.parse('2026-02-01T00:00:00Z'),
      validUntilMs: null,
    });
  });

  it('resolves groups, key sets and schedules, and lists unavailable keys', () => {
    const directory = new SqliteDirectory(seeded());
    expect(directory.groupsOf(1)).toEqual([7]);
    expect(directory.groupsOf(2)).toEqual([]);
    const grants = directory.grantsOf(1).sort((a, b) => a.id - b.id);
    expect(grants).toEqual([
      {
        id: 100,
        subject: { kind: 'group', groupId: 7 },
        slots: [2, 3],
        schedule: {
          id: 5,
          windows: [1, 2, 3, 4, 5].map((day) => ({ day, startMinute: 1080, endMinute: 1440 })),
          exceptions: [{ date: '2026-12-24', kind: 'closed', startMinute: null, endMinute: null }],
        },
        validFromMs: null,
        validUntilMs: null,
        maxLoanMinutes: null,
      },
      {
        id: 101,
        subject: { kind: 'holder', holderId: 1 },
        slots: [4],
        schedule: null,
        validFromMs: null,
        validUntilMs: Date.parse('2026-12-01T00:00:00Z'),
        maxLoanMinutes: null,
      },
    ]);
    expect(directory.grantsOf(2)).toEqual([]);
    expect(directory.unreleasableSlots()).toEqual([3]);
    expect(directory.keyByHomeSlot(3)).toMatchObject({ state: 'lost' });
  });

  it('decides end to end from the database', () => {
    const directory = new SqliteDirectory(seeded());
    const decide = (iso: string) => {
      const credential = directory.credentialByCard('C1');
      const holder = directory.holder(1);
      return decideAccess({
        credential,
        holder,
        permissions: directory.permissionsOf(1),
        keysOut: 0,
        nowMs: Date.parse(iso),
        policy: policyInputsOf(directory, 1, 'Europe/London'),
      });
    };
    expect(decide('2026-01-15T12:00:00Z')).toMatchObject({ reason: 'credential_not_yet_valid' });
    // A Monday: by day only slot 4; from 18:00 also the set's slot 2 (3 is lost).
    expect(decide('2026-11-23T17:59:59Z')).toMatchObject({ granted: true, slots: [4] });
    expect(decide('2026-11-23T18:00:00Z')).toMatchObject({ granted: true, slots: [2, 4] });
    // After slot 4's grant ended; on the closed Christmas Eve; after Alice's own end.
    expect(decide('2026-12-02T19:00:00Z')).toMatchObject({ granted: true, slots: [2] });
    expect(decide('2026-12-24T19:00:00Z')).toMatchObject({ reason: 'outside_schedule' });
    expect(decide('2026-12-31T18:00:00Z')).toMatchObject({ reason: 'holder_expired' });
  });

  it('refuses a grant with both or neither subject, and a window across midnight', () => {
    const db = seeded();
    expect(() =>
      db.exec(
        `INSERT INTO policy_grants (holder_id, group_id, slot, created_at) VALUES (1, 7, 1, '${T}')`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(`INSERT INTO policy_grants (slot, created_at) VALUES (1, '${T}')`),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        'INSERT INTO schedule_windows (schedule_id, day, start_minute, end_minute) VALUES (5, 1, 1380, 60)',
      ),
    ).toThrow(/CHECK/);
  });

  it('lists validity ends around an interval, whatever the stored precision', () => {
    const db = seeded();
    db.exec(`UPDATE credentials SET valid_until = '2026-12-31T18:00:00Z' WHERE id = 10`);
    const directory = new SqlitePolicyLookups(db);
    const at = Date.parse('2026-12-31T18:00:00Z');
    const ends = expiriesBetween(at - 1, at, directory);
    expect(ends).toEqual([
      { kind: 'credential', id: 10, holderId: 1, untilMs: at },
      { kind: 'holder', id: 1, holderId: 1, untilMs: at },
    ]);
    expect(expiriesBetween(at, at + 5_000, directory)).toEqual([]);
    const grantEnd = Date.parse('2026-12-01T00:00:00Z');
    expect(expiriesBetween(grantEnd - 1, grantEnd, directory)).toEqual([
      { kind: 'grant', id: 101, holderId: 1, slot: 4, untilMs: grantEnd },
    ]);
  });
});
