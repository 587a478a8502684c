import type { Database } from 'better-sqlite3';
import type { Actor, NewEvent } from '../domain/events.js';
import { KeywardenError } from '../errors.js';
import type { EventLog } from '../store/event-log.js';
import { ImportRecords } from '../store/import-records.js';
import { currentSyncVersion } from '../store/permission-sync.js';
import { CsvSyntaxError, parseCsv, unguardFormula, type CsvRecord } from './csv.js';
import { FieldError } from './fields.js';
import type { ImportCabinet, ImportKind, RowChange } from './import-kind.js';

export interface RowError {
  line: number;
  message: string;
}

export interface ImportReport {
  /** Data rows read (blank lines not counted). */
  rows: number;
  /** Rows that added or changed a record (or would have, on a dry run or with errors). */
  changes: number;
  /** Rows the records already agree with. */
  unchanged: number;
  errors: RowError[];
  /** True only when the changes were written. */
  applied: boolean;
}

/**
 * Imports one CSV file all or nothing: every row is checked against the records, in one
 * immediate transaction so that nothing changes between the check and the write; any bad row
 * (or a dry run) leaves the database untouched. Each change is written with its audit event,
 * the custodian as actor, like a change made with the custodian commands.
 */
export function runImport(
  db: Database,
  log: EventLog,
  actor: Actor,
  kind: ImportKind,
  csv: string,
  options: { dryRun: boolean; now?: () => Date; cabinet?: ImportCabinet },
): ImportReport {
  let records: CsvRecord[];
  try {
    records = parseCsv(csv).filter((r) => !(r.fields.length === 1 && r.fields[0]?.trim() === ''));
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      return failed([{ line: error.line, message: error.message.replace(/^line \d+: /, '') }]);
    throw error;
  }
  const [header, ...rows] = records;
  if (!header)
    return failed([
      { line: 1, message: `the file is empty; the header row is ${kind.headers.join(',')}` },
    ]);
  const headerError = checkHeader(header.fields, kind.headers);
  if (headerError) return failed([{ line: header.line, message: headerError }]);
  const columns = header.fields.map((f) => f.trim().toLowerCase());

  return db
    .transaction((): ImportReport => {
      refuseWhenManagedCentrally(db);
      const at = options.now?.() ?? new Date();
      const check = kind.checker(new ImportRecords(db), at, options.cabinet);
      const errors: RowError[] = [];
      const changes: RowChange[] = [];
      let unchanged = 0;
      for (const record of rows) {
        if (record.fields.length !== columns.length) {
          errors.push({
            line: record.line,
            message: `${record.fields.length} fields, the header has ${columns.length}`,
          });
          continue;
        }
        // A cell the export guarded against spreadsheet formulas ('=…) reads back as it was.
        const row = Object.fromEntries(
          columns.map((c, i) => [c, unguardFormula(record.fields[i] ?? '')]),
        );
        try {
          const change = check(row);
          if (change) changes.push(change);
          else unchanged++;
        } catch (error) {
          if (!(error instanceof FieldError)) throw error;
          errors.push({ line: record.line, message: error.message });
        }
      }
      const report = { rows: rows.length, changes: changes.length, unchanged, errors };
      if (errors.length > 0 || options.dryRun) return { ...report, applied: false };
      const events: NewEvent[] = changes.map((c) => c.apply(actor, at.toISOString()));
      log.appendInTransaction(events);
      return { ...report, applied: true };
    })
    .immediate();
}

function failed(errors: RowError[]): ImportReport {
  return { rows: 0, changes: 0, unchanged: 0, errors, applied: false };
}

/** The header names exactly the kind's columns, in any order and any case. */
function checkHeader(fields: string[], expected: readonly string[]): string | null {
  const names = fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !expected.includes(n));
  const missing = expected.filter((e) => !names.includes(e));
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  const problems = [
    unknown.length > 0 ? `unknown column ${unknown.map((u) => `"${u}"`).join(', ')}` : '',
    missing.length > 0 ? `missing column ${missing.join(', ')}` : '',
    twice.length > 0 ? `column ${twice.join(', ')} given twice` : '',
  ].filter(Boolean);
  return problems.length > 0
    ? `header: ${problems.join('; ')} (expected ${expected.join(',')})`
    : null;
}

/** Same rule as the custodian commands: a centrally managed cabinet takes no local changes. */
function refuseWhenManagedCentrally(db: Database): void {
  const version = currentSyncVersion(db);
  if (version > 0) {
    throw new KeywardenError(
      'CONFLICT',
      `this cabinet's permissions are managed by the central server (sync version ${version}); import there`,
    );
  }
}
