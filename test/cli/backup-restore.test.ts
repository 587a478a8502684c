import {
  copyFileSync,
  linkSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { acquireCabinetLock } from '../../src/daemon/cabinet-lock.js';
import { backupCabinet, backupTo, databaseDigest } from '../support/backup-cabinet.js';
import { integrityCheck, recordedEvents } from '../support/recorded-events.js';
import { runCli } from '../support/run-cli.js';

/** A stopped cabinet: a config naming `cabinetId` and a seeded database in a temp dir. */
const cabinet = (cabinetId = 'cab-north') => backupCabinet('keywarden-backup-', cabinetId);

const holders = (database: string): string[] => {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    return (
      db.prepare('SELECT name FROM holders ORDER BY id').all() as Array<{ name: string }>
    ).map((r) => r.name);
  } finally {
    db.close();
  }
};

const addHolder = (database: string, name: string): void => {
  const db = new BetterSqlite3(database);
  db.prepare('INSERT INTO holders (name, created_at) VALUES (?, ?)').run(
    name,
    new Date().toISOString(),
  );
  db.close();
};

/** The database's bytes (with its -wal) and the directory's listing: what "nothing changed" means. */
const snapshot = (database: string): string => {
  return `${databaseDigest(database)} ${readdirSync(join(database, '..'))
    // The lock and its owner file are the cabinet lock's, made by whoever checks it.
    .filter((f) => !f.endsWith('.lock') && !f.endsWith('.owner'))
    .sort()
    .join(',')}`;
};

/** A backup made by the command, then altered with SQL (a crafted file). */
async function craftedBackup(
  site: { dir: string; configFile: string },
  sql: string,
): Promise<string> {
  const file = await backupTo(
    site,
    join(site.dir, `crafted-${Math.random().toString(16).slice(2)}.db`),
  );
  const db = new BetterSqlite3(file);
  db.exec(sql);
  db.close();
  return file;
}

describe('keywarden backup', () => {
  it('writes a private, checked copy naming the cabinet, and restore brings it back', async () => {
    const site = cabinet();
    const file = join(site.dir, 'backups', 'cabinet-monday.db');
    const missingDir = await runCli(['backup', '--config', site.configFile, '--to', file]);
    expect(missingDir.code).toBe(2);
    expect(missingDir.err).toMatch(
      /--to .*cabinet-monday\.db: the directory .*backups does not exist/,
    );

    const to = join(site.dir, 'cabinet-monday.db');
    writeFileSync(to, '');
    expect((await runCli(['backup', '--config', site.configFile, '--to', to])).code).toBe(2);
    rmSync(to);
    expect((await runCli(['backup', '--config', site.configFile, '--to', to])).code).toBe(0);
    // The nightly job: the next backup replaces the previous one.
    const made = await runCli(['backup', '--config', site.configFile, '--to', to]);
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(made.out).toMatch(
      /cabinet-monday\.db: cabinet cab-north, schema version \d+, \d+ events \(last seq \d+\), \d+ bytes$/,
    );
    expect(statSync(to).mode & 0o777).toBe(0o600);
    expect(integrityCheck(to)).toBe('ok');
    const identity = new BetterSqlite3(to, { readonly: true });
    expect(identity.prepare('SELECT cabinet_id FROM keywarden_backup').all()).toEqual([
      { cabinet_id: 'cab-north' },
    ]);
    expect(identity.pragma('journal_mode', { simple: true })).toBe('delete');
    identity.close();
    // No temporary file left beside it.
    expect(readdirSync(site.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    addHolder(site.database, 'Mallory');
    expect(holders(site.database)).toEqual(['Alice', 'Mallory']);
    const restored = await runCli(['restore', '--config', site.configFile, '--from', to]);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    expect(holders(site.database)).toEqual(['Alice']);
    const kept = /kept at (\S+);/.exec(restored.out)?.[1] as string;
    expect(holders(kept)).toEqual(['Alice', 'Mallory']);
    expect(statSync(site.database).mode & 0o777).toBe(0o600);
    // The restored database is the cabinet's again: no backup identity left in it.
    const db = new BetterSqlite3(site.database, { readonly: true });
    expect(
      db.prepare("SELECT name FROM sqlite_schema WHERE name = 'keywarden_backup'").all(),
    ).toEqual([]);
    db.close();
    expect(recordedEvents(site.database).length).toBeGreaterThan(0);
  });

  it('refuses to write over the live database or any of its files, by any name', async () => {
    const site = cabinet();
    const before = snapshot(site.database);
    const hardLink = join(site.dir, 'innocent.db');
    linkSync(site.database, hardLink);
    const symbolic = join(site.dir, 'state-link');
    symlinkSync(join(site.dir, 'state'), symbolic);
    for (const to of [
      site.database,
      `${site.database}-wal`,
      `${site.database}.lock`,
      join(site.dir, 'state', '..', 'state', 'cabinet.db'),
      join(symbolic, 'cabinet.db'),
      hardLink,
    ]) {
      const result = await runCli(['backup', '--config', site.configFile, '--to', to]);
      expect(result.code, to).toBe(2);
      expect(result.err).toMatch(/--to .* is the cabinet's live database .* name another file/);
    }
    const precious = join(site.dir, 'precious.txt');
    writeFileSync(precious, 'not a backup');
    const overwrite = await runCli(['backup', '--config', site.configFile, '--to', precious]);
    expect(overwrite.code).toBe(2);
    expect(overwrite.err).toMatch(/--to .*precious\.txt exists and is not a Keywarden backup/);
    expect(readFileSync(precious, 'utf8')).toBe('not a backup');
    const dir = await runCli(['backup', '--config', site.configFile, '--to', site.dir]);
    expect(dir.code).toBe(2);
    expect(dir.err).toMatch(/--to .* is not a regular file/);
    expect(snapshot(site.database)).toBe(before);
    expect((await runCli(['backup', '--config', site.configFile])).err).toMatch(/--to is required/);
  });
});

describe('keywarden restore refuses', () => {
  it('while the daemon runs (its lock is held), changing nothing', async () => {
    const site = cabinet();
    const to = join(site.dir, 'b.db');
    await runCli(['backup', '--config', site.configFile, '--to', to]);
    const before = snapshot(site.database);
    const lock = acquireCabinetLock(site.database);
    try {
      const result = await runCli(['restore', '--config', site.configFile, '--from', to]);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(
        /refused: the daemon is running \(the cabinet is already run by process \d+.*Stop it first: sudo systemctl stop keywarden/,
      );
    } finally {
      lock.release();
    }
    expect(snapshot(site.database)).toBe(before);
  });

  it("another cabinet's backup unless --other-cabinet is given", async () => {
    const south = cabinet('cab-south');
    const southBackup = join(south.dir, 'south.db');
    await runCli(['backup', '--config', south.configFile, '--to', southBackup]);
    const north = cabinet('cab-north');
    const before = snapshot(north.database);
    const refused = await runCli(['restore', '--config', north.configFile, '--from', southBackup]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /refused: .*south\.db: it is from cabinet "cab-south", and this is cabinet "cab-north"; give --other-cabinet to restore it here anyway/,
    );
    expect(snapshot(north.database)).toBe(before);
    // A plain copy of a database (no backup identity) is known by its events.
    const plainCopy = join(south.dir, 'copied-by-hand.db');
    copyFileSync(south.database, plainCopy);
    const byEvents = await runCli(['restore', '--config', north.configFile, '--from', plainCopy]);
    expect(byEvents.err).toMatch(/it is from cabinet "cab-south" \(by its events\)/);
    expect(snapshot(north.database)).toBe(before);

    const allowed = await runCli([
      'restore',
      '--config',
      north.configFile,
      '--from',
      southBackup,
      '--other-cabinet',
    ]);
    expect(allowed.code).toBe(0);
    expect(allowed.out).toMatch(/restored from .*south\.db \(cabinet cab-south, made /);
  });

  it('crafted files: not SQLite, other tables, a trigger, a newer schema, a huge file, a device, the live database', async () => {
    const site = cabinet();
    const before = snapshot(site.database);
    const restore = (from: string, ...more: string[]) =>
      runCli(['restore', '--config', site.configFile, '--from', from, '--other-cabinet', ...more]);

    const text = join(site.dir, 'notes.txt');
    writeFileSync(text, 'not a database at all\n'.repeat(100));
    expect((await restore(text)).err).toMatch(
      /refused: .*notes\.txt: it is not an SQLite database/,
    );

    const otherApp = join(site.dir, 'other-app.db');
    const other = new BetterSqlite3(otherApp);
    other.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, data BLOB)');
    other.close();
    expect((await restore(otherApp)).err).toMatch(
      /it is not a Keywarden database \(no schema_migrations table\)/,
    );

    const extraTable = await craftedBackup(site, 'CREATE TABLE evil (x)');
    expect((await restore(extraTable)).err).toMatch(
      /its schema is not Keywarden's: unexpected table "evil"/,
    );

    const trigger = await craftedBackup(
      site,
      "CREATE TRIGGER leak AFTER INSERT ON events BEGIN UPDATE holders SET name = 'x'; END",
    );
    expect((await restore(trigger)).err).toMatch(/unexpected trigger "leak"/);

    const dropped = await craftedBackup(site, 'DROP INDEX credentials_holder');
    expect((await restore(dropped)).err).toMatch(/missing index "credentials_holder"/);

    const newer = await craftedBackup(
      site,
      "INSERT INTO schema_migrations (version, name, applied_at) SELECT max(version) + 1, 'future', 'x' FROM schema_migrations",
    );
    expect((await restore(newer)).err).toMatch(
      /it is at schema version \d+, newer than this Keywarden's \d+/,
    );

    const twoIdentities = await craftedBackup(
      site,
      "INSERT INTO keywarden_backup VALUES ('cab-x', 'x', 'h', 1)",
    );
    expect((await restore(twoIdentities)).err).toMatch(
      /keywarden_backup table does not hold exactly one cabinet/,
    );

    // A sparse file with an SQLite header claiming more than the disk holds: refused before a byte is copied.
    const huge = join(site.dir, 'huge.db');
    copyFileSync(await craftedBackup(site, 'SELECT 1'), huge);
    const free = statfsSync(site.dir);
    truncateSync(huge, free.bavail * free.bsize + 1024 ** 3);
    expect((await restore(huge)).err).toMatch(
      /refused: .*huge\.db: it is \d+ MiB; .* MiB free, and 64 MiB must stay free/,
    );

    const truncated = join(site.dir, 'truncated.db');
    const whole = readFileSync(await craftedBackup(site, 'SELECT 1'));
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    expect((await restore(truncated)).err).toMatch(/refused: .*truncated\.db: /);

    expect((await restore('/dev/zero')).err).toMatch(/--from \/dev\/zero is not a regular file/);
    expect((await restore(site.database)).err).toMatch(/--from .* is the cabinet's live database/);
    expect((await restore(join(site.dir, 'absent.db'))).err).toMatch(
      /--from .*absent\.db: no such file/,
    );

    expect(snapshot(site.database)).toBe(before);
    expect(
      readdirSync(join(site.dir, 'state')).filter(
        (f) => f.includes('.tmp') || f.includes('replaced'),
      ),
    ).toEqual([]);
  });
});
