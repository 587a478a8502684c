import { describe, expect, it } from 'vitest';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();

describe('migration 007: HR references', () => {
  it('are unique among holders that have one', () => {
    const { db } = temp.open();
    const add = db.prepare("INSERT INTO holders (name, hr_ref, created_at) VALUES ('x', ?, 't')");
    add.run('E-1');
    add.run(null);
    add.run(null);
    expect(() => add.run('E-1')).toThrow(/UNIQUE/);
  });

  it('are cleared by the first sync, which gives the ids to the central server’s holders', () => {
    const { db } = temp.open();
    db.prepare(
      "INSERT INTO holders (id, name, hr_ref, created_at) VALUES (5, 'Local', 'E-1', 't')",
    ).run();
    db.prepare('UPDATE sync_state SET version = 1').run();
    expect(db.prepare('SELECT hr_ref FROM holders').pluck().all()).toEqual([null]);
  });
});
