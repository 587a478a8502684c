import { describe, expect, it } from 'vitest';
import { CustodianApp } from '../../src/app/custodian-app.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { ensureSlots } from '../../src/store/slots.js';
import { FakeClock } from '../support/fake-clock.js';

function cabinet() {
  const db = openDatabase(':memory:');
  ensureSlots(db, 4);
  const log = new EventLog(db, 'cab', new FakeClock());
  const app = CustodianApp.open(db, log, { kind: 'custodian', account: 'carol' });
  const events = () => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  return { app, events };
}

// Grants, the access matrix and the console name groups and key sets: two of one name would
// make a grant to the wrong one easy and unseen, for the command line as for the console.
describe('group and key set names are unique, without regard to case', () => {
  it('refuses a second group of a name, on adding and on renaming, and records nothing', () => {
    const { app, events } = cabinet();
    const crew = app.groups.add('Night crew');
    const porters = app.groups.add('Porters');
    const before = events();
    expect(() => app.groups.add('night CREW')).toThrow(
      'a group name must be unique: group 1 is already named "night CREW"',
    );
    expect(() => app.groups.update(porters, { name: 'Night crew' })).toThrow(/must be unique/);
    expect(events()).toBe(before);
    // A group may take its own name in another case.
    expect(app.groups.update(crew, { name: 'NIGHT CREW' })).toBe(true);
    expect(app.groups.list().map((g) => g.name)).toEqual(['NIGHT CREW', 'Porters']);
  });

  it('refuses a second key set of a name, on adding and on renaming', () => {
    const { app } = cabinet();
    const vans = app.keySets.add('Vans');
    const spares = app.keySets.add('Spares');
    expect(() => app.keySets.add('VANS')).toThrow('a key set name must be unique');
    expect(() => app.keySets.rename(spares, 'vans')).toThrow('a key set name must be unique');
    expect(app.keySets.rename(vans, 'vans')).toBe(true);
    expect(app.keySets.list().map((s) => s.name)).toEqual(['vans', 'Spares']);
  });
});
