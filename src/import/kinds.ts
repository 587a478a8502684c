import { credentialsCsv } from './credentials-csv.js';
import { holdersCsv } from './holders-csv.js';
import type { ImportKind } from './import-kind.js';
import { permissionsCsv } from './permissions-csv.js';

export const IMPORT_KINDS: readonly ImportKind[] = [holdersCsv, credentialsCsv, permissionsCsv];

export function importKind(name: string): ImportKind | undefined {
  return IMPORT_KINDS.find((k) => k.name === name);
}
