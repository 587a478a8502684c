import { describe, expect, it } from 'vitest';
import { CustodianApp } from '../../src/app/custodian-app.js';
import { ensureSlots } from '../../src/store/slots.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();
const actor = { kind: 'custodian' as const, account: 'carol' };

function setup() {
  const { db } = temp.open();
  ensureSlots(db, 4);
  const log = new EventLog(db, 'cab-1', new FakeClock());
  return { db, log, app: CustodianApp.open(db, log, actor) };
}

describe('the custodian operations', () => {
  it('writes each change together with its event, naming the custodian', () => {
    const { log, app } = setup();
    const holder = app.holders.add('  Alice  ');
    app.credentials.add(holder, '100086f444');
    app.keys.add('aa01', 1, 'Plant room');
    app.permissions.grant(holder, 1);
    app.permissions.revoke(holder, 1);
    app.holders.disable(holder);
    expect(log.recent(10).map((e) => e.type)).toEqual([
      'holder.added',
      'credential.added',
      'key.added',
      'permission.granted',
      'permission.revoked',
      'holder.disabled',
    ]);
    expect(log.recent(10)[1]?.data).toEqual({
      actor,
      credentialId: 1,
      holderId: holder,
      card: '…F444',
    });
    expect(app.holders.list()).toEqual([
      { id: holder, name: 'Alice', enabled: false, cards: 1, slots: '' },
    ]);
  });

  it('a change that fails leaves no record and no event', () => {
    const { db, log, app } = setup();
    const holder = app.holders.add('Alice');
    app.credentials.add(holder, '12345');
    const before = log.lastSeq();
    expect(() => app.credentials.add(holder, '12345')).toThrow(/already enrolled/);
    expect(() => app.permissions.grant(holder, 9)).toThrow(/no slot 9/);
    expect(() => app.permissions.grant(42, 1)).toThrow(/no holder with id 42/);
    expect(() => app.keys.add('xyz', 1, 'K')).toThrow(/4 to 32 hex digits/);
    app.keys.add('AB01', 1, 'K');
    expect(() => app.keys.add('AB02', 1, 'K2')).toThrow(/already the home of key "K"/);
    expect(log.lastSeq()).toBe(before + 1);
    expect(db.prepare('SELECT count(*) AS n FROM credentials').get()).toEqual({ n: 1 });
  });

  it('a grant that already exists or a revoke of nothing changes nothing and records nothing', () => {
    const { log, app } = setup();
    const holder = app.holders.add('Alice');
    expect(app.permissions.grant(holder, 2)).toBe(true);
    expect(app.permissions.grant(holder, 2)).toBe(false);
    expect(app.permissions.revoke(holder, 3)).toBe(false);
    expect(log.recent(10).map((e) => e.type)).toEqual(['holder.added', 'permission.granted']);
  });
});

describe('a cabinet managed by the central server', () => {
  it('refuses local changes once a permission set has been synced, changing nothing', () => {
    const { db, log, app } = setup();
    db.prepare('UPDATE sync_state SET version = 3').run();
    const before = log.lastSeq();
    expect(() => app.holders.add('Mallory')).toThrow(
      /managed by the central server \(sync version 3\)/,
    );
    expect(log.lastSeq()).toBe(before);
    expect(app.holders.list()).toEqual([]);
  });
});

describe('the rules of an operation', () => {
  it('validity must end after it starts, also when only one end is changed', () => {
    const { app } = setup();
    app.holders.add('Eve', { validFrom: '2026-12-01T00:00:00.000Z' });
    expect(() => app.holders.update(1, { validUntil: '2026-11-30T00:00:00.000Z' })).toThrow(
      'must be after --valid-from',
    );
  });

  it('a slot the cabinet does not have is named, whichever operation names it', () => {
    const { log, app } = setup();
    const holder = app.holders.add('Alice');
    const before = log.lastSeq();
    for (const operation of [
      () => app.keys.add('AB05', 5, 'K5'),
      () => app.permissions.grant(holder, 5),
      () => app.permissions.revoke(holder, 5),
      () => app.grants.add({ holderId: holder, slot: 5 }),
    ]) {
      expect(operation).toThrow(/no slot 5 in this cabinet/);
    }
    expect(log.lastSeq()).toBe(before);
  });
});
