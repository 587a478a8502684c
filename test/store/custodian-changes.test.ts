import { describe, expect, it } from 'vitest';
import { CustodianApp } from '../../src/app/custodian-app.js';
import { ensureSlots } from '../../src/store/slots.js';
import { addGroup, addMember } from '../../src/store/custodian/groups.js';
import { grant } from '../../src/store/custodian/grants.js';
import { disableHolder } from '../../src/store/custodian/holders.js';
import { updateKey } from '../../src/store/custodian/keys.js';
import { change, difference } from '../../src/store/custodian/scope.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';

function cabinet() {
  const db = openDatabase(':memory:');
  ensureSlots(db, 12);
  const log = new EventLog(db, 'cab', new FakeClock());
  const app = CustodianApp.open(db, log, { kind: 'custodian', account: 'carol' });
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { db, log, app, scope: app.scope, count };
}

describe('custodian changes', () => {
  it('a change that fails part-way leaves neither its rows nor its event', () => {
    const { app, scope, count } = cabinet();
    app.holders.add('Dana');
    const events = count('events');
    // The schedule is checked after the holder and slot: nothing may be left of the grant.
    expect(() => grant(scope, { holderId: 1, slot: 2, scheduleId: 9 })).toThrow(
      'no schedule with id 9',
    );
    addGroup(scope, 'G');
    const withGroup = count('events');
    expect(() => addMember(scope, 1, 5)).toThrow('no holder with id 5');
    expect(count('events')).toBe(withGroup);
    expect(count('policy_grants') + count('permissions') + count('group_members')).toBe(0);
    expect(count('events')).toBe(events + 1); // the group's own
  });

  it('change() rolls back rows already written when its body throws after them', () => {
    const { db, scope, count } = cabinet();
    expect(() =>
      change(scope, () => {
        db.prepare("INSERT INTO access_groups (name, created_at) VALUES ('G', 'now')").run();
        throw new Error('second step failed');
      }),
    ).toThrow('second step failed');
    expect(count('access_groups') + count('events')).toBe(0);
  });

  it('an update that changes nothing records nothing; one that does records only what changed', () => {
    const { app, scope, log } = cabinet();
    app.keys.add('A0000001', 1, 'K1', { tier: 'master' });
    const before = log.recent(100).length;
    expect(updateKey(scope, 1, { tier: 'master' })).toBe(false);
    expect(log.recent(100).length).toBe(before);
    expect(updateKey(scope, 1, { tier: 'change', returnPolicy: 'home' })).toBe(true);
    expect(log.recent(1)[0]?.data).toMatchObject({
      before: { tier: 'master' },
      after: { tier: 'change' },
    });
  });

  it('disabling reports outstanding keys even when the holder was already disabled', () => {
    const { db, app, scope } = cabinet();
    app.holders.add('Dana');
    app.keys.add('A0000001', 1, 'K1');
    db.prepare(
      `INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq) VALUES (1, 1, 1, '2026-11-24T08:00:00.000Z', 1)`,
    ).run();
    expect(disableHolder(scope, 1)).toMatchObject({ changed: true, outstanding: [{ keyId: 1 }] });
    expect(disableHolder(scope, 1)).toMatchObject({ changed: false, outstanding: [{ keyId: 1 }] });
  });

  it('refuses synced data once the central server owns the set, but not before', () => {
    const { db, scope } = cabinet();
    expect(addGroup(scope, 'G')).toBe(1);
    db.prepare('UPDATE sync_state SET version = 3').run();
    expect(() => addGroup(scope, 'H')).toThrow('managed by the central server (sync version 3)');
  });

  it('difference keeps only the changed fields', () => {
    expect(difference({ a: 1, b: null, c: [1] }, { a: 1, b: 2, c: [1] })).toEqual({
      before: { b: null },
      after: { b: 2 },
    });
    expect(difference({ a: 1 }, { a: 1 })).toBeNull();
  });
});
