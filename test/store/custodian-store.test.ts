import { describe, expect, it } from 'vitest';
import { CustodianStore } from '../../src/store/custodian-store.js';
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
  return { db, log, store: new CustodianStore(db, log, actor) };
}

describe('CustodianStore', () => {
  it('writes each change together with its event, naming the custodian', () => {
    const { log, store } = setup();
    const holder = store.addHolder('  Alice  ');
    store.addCredential(holder, '100086f444');
    store.addKey('aa01', 1, 'Plant room');
    store.grant(holder, 1);
    store.revoke(holder, 1);
    store.disableHolder(holder);
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
    expect(store.listHolders()).toEqual([
      { id: holder, name: 'Alice', enabled: false, cards: 1, slots: '' },
    ]);
  });

  it('a change that fails leaves no record and no event', () => {
    const { db, log, store } = setup();
    const holder = store.addHolder('Alice');
    store.addCredential(holder, '12345');
    const before = log.lastSeq();
    expect(() => store.addCredential(holder, '12345')).toThrow(/already enrolled/);
    expect(() => store.grant(holder, 9)).toThrow(/no slot 9/);
    expect(() => store.grant(42, 1)).toThrow(/no holder with id 42/);
    expect(() => store.addKey('xyz', 1, 'K')).toThrow(/4 to 32 hex digits/);
    store.addKey('AB01', 1, 'K');
    expect(() => store.addKey('AB02', 1, 'K2')).toThrow(/already the home of key "K"/);
    expect(log.lastSeq()).toBe(before + 1);
    expect(db.prepare('SELECT count(*) AS n FROM credentials').get()).toEqual({ n: 1 });
  });

  it('a grant that already exists or a revoke of nothing changes nothing and records nothing', () => {
    const { log, store } = setup();
    const holder = store.addHolder('Alice');
    expect(store.grant(holder, 2)).toBe(true);
    expect(store.grant(holder, 2)).toBe(false);
    expect(store.revoke(holder, 3)).toBe(false);
    expect(log.recent(10).map((e) => e.type)).toEqual(['holder.added', 'permission.granted']);
  });
});

describe('a cabinet managed by the central server', () => {
  it('refuses local changes once a permission set has been synced, changing nothing', () => {
    const { db, log, store } = setup();
    db.prepare('UPDATE sync_state SET version = 3').run();
    const before = log.lastSeq();
    expect(() => store.addHolder('Mallory')).toThrow(
      /managed by the central server \(sync version 3\)/,
    );
    expect(log.lastSeq()).toBe(before);
    expect(store.listHolders()).toEqual([]);
  });
});
