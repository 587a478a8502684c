import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { temporaryDir } from './mosquitto-users.js';
import { runCli } from './run-cli.js';
import { seedCabinet } from './seed.js';

/**
 * A stopped cabinet to back up and restore from the command line: a seeded database under
 * `state/` of a temp dir (removed after the test file) and a config naming it. What the
 * backup/restore tests share; each keeps its own idea of "nothing changed".
 */
export interface BackupCabinet {
  dir: string;
  configFile: string;
  database: string;
}

export function backupCabinet(prefix: string, cabinetId = 'cab-north'): BackupCabinet {
  const dir = temporaryDir(prefix);
  const database = join(dir, 'state', 'cabinet.db');
  seedCabinet(database, cabinetId);
  const configFile = join(dir, 'config.json');
  writeCabinetConfig(configFile, cabinetId, database);
  return { dir, configFile, database };
}

/** The simulated cabinet's config for `database`, with no broker to reach. */
export function writeCabinetConfig(configFile: string, cabinetId: string, database: string): void {
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      cabinetId,
      profile: 'sim',
      database,
      mqtt: { allowPlainText: true },
    }),
  );
}

/** `keywarden backup --to file`, which must succeed: the starting point of a restore test. */
export async function backupTo(site: { configFile: string }, file: string): Promise<string> {
  expect((await runCli(['backup', '--config', site.configFile, '--to', file])).code).toBe(0);
  return file;
}

/** The database's bytes with its -wal: changed by any write a refused restore must not make. */
export function databaseDigest(database: string): string {
  const hash = createHash('sha256');
  for (const file of [database, `${database}-wal`]) {
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}
