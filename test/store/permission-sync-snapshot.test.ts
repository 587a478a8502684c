import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/database.js';
import { applyPermissionSync } from '../../src/store/permission-sync.js';
import { SqliteDirectory } from '../../src/store/sqlite-directory.js';
import { useTempDb } from '../support/temp-db.js';
import { ALICE_CARD, baseSet, edit, SLOTS } from './permission-sync-fixtures.js';

const temp = useTempDb();
const options = { slotCount: SLOTS };

/** Version 2 takes Alice's card away and moves her from slots 1 and 2 to slot 6. */
const next = edit(baseSet(), 2, (s) => {
  s.credentials[0]!.enabled = false;
  s.permissions = [...s.permissions.filter((p) => p.holderId !== 1), { holderId: 1, slot: 6 }];
});

/**
 * Two connections to one file, as the daemon and a second process (or a second connection in
 * the daemon) would have: `reader` decides a badge, `writer` applies a sync between its two
 * lookups. better-sqlite3 is synchronous, so "between" is simply a call in the middle.
 */
function twoConnections(run: (reader: Database, writer: Database) => void): void {
  const { db: reader, file } = temp.open();
  applyPermissionSync(reader, baseSet(1), options);
  const writer = openDatabase(file);
  try {
    run(reader, writer);
  } finally {
    writer.close();
  }
}

function decide(directory: SqliteDirectory, between: () => void) {
  const card = directory.credentialByCard(ALICE_CARD);
  between();
  return { enabled: card?.enabled, slots: directory.permissionsOf(1).map((p) => p.slot) };
}

describe('a badge decided while another connection syncs', () => {
  it('inside a read transaction sees the old set throughout, and the new one after', () => {
    twoConnections((reader, writer) => {
      const directory = new SqliteDirectory(reader);
      let synced = false;
      const seen = reader.transaction(() =>
        decide(directory, () => (synced = applyPermissionSync(writer, next, options).ok)),
      )();
      expect(synced).toBe(true);
      expect(seen).toEqual({ enabled: true, slots: [1, 2] });
      expect(decide(directory, () => {})).toEqual({ enabled: false, slots: [6] });
    });
  });

  it('without a transaction would mix the two sets: the old card with the new slots', () => {
    twoConnections((reader, writer) => {
      const directory = new SqliteDirectory(reader);
      const seen = decide(directory, () => applyPermissionSync(writer, next, options));
      expect(seen).toEqual({ enabled: true, slots: [6] });
    });
  });

  it('a read transaction cannot then record the decision once a sync has committed', () => {
    twoConnections((reader, writer) => {
      const directory = new SqliteDirectory(reader);
      // So the decision and its record belong in one IMMEDIATE transaction: it holds syncs off
      // for the few milliseconds of a decision instead (here the sync, not waiting, fails).
      expect(() =>
        reader.transaction(() => {
          decide(directory, () => applyPermissionSync(writer, next, options));
          reader.prepare('UPDATE slots SET enabled = 1 WHERE number = 1').run();
        })(),
      ).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY_SNAPSHOT' }) as Error);

      writer.pragma('busy_timeout = 0');
      const during = reader.transaction(() => {
        const seen = decide(directory, () => {});
        return {
          seen,
          sync: applyPermissionSync(
            writer,
            edit(next, 3, () => {}),
            options,
          ),
        };
      });
      expect(during.immediate()).toMatchObject({
        seen: { enabled: false, slots: [6] },
        sync: {
          ok: false,
          reason: 'failed',
          message: 'the sync was rolled back: database is locked',
        },
      });
    });
  });
});
