import type { ImportCabinet, ImportKind } from '../import/import-kind.js';
import { runImport, type ImportReport } from '../import/run-import.js';
import type { ChangeScope } from '../store/custodian/scope.js';
import { ImportRecords } from '../store/import-records.js';

export interface CsvExport {
  /** In the kind's header order; card numbers masked unless `cards` was asked for. */
  rows: unknown[][];
  /** Holders left out because they have no HR reference (added by hand or by the server). */
  holdersWithoutRef: number;
}

/** The HR system's files: imports all or nothing, each change audited in the actor's name. */
export class CsvTransfer {
  constructor(private readonly scope: ChangeScope) {}

  import(
    kind: ImportKind,
    csv: string,
    options: { dryRun: boolean; cabinet?: ImportCabinet },
  ): ImportReport {
    const { db, log, actor, now } = this.scope;
    return runImport(db, log, actor, kind, csv, { ...options, now });
  }

  export(kind: ImportKind, options: { cards: boolean }): CsvExport {
    const records = new ImportRecords(this.scope.db);
    return {
      rows: kind.exportRows(records, options),
      holdersWithoutRef: records.holdersWithoutRef(),
    };
  }
}
