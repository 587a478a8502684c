import { printableJson } from '../domain/values/free-text.js';
import { writeCsv, type CsvOptions } from '../import/csv.js';
import { localTimeFormat } from '../present/local-time-format.js';
import { table } from '../present/table.js';

export type Cell = string | number | boolean | null;

/** A report is a list of rows with named columns; how it is printed is chosen by --format. */
export interface Report {
  columns: ReadonlyArray<ReportColumn>;
  rows: Array<Record<string, Cell>>;
  /** Printed instead of an empty table. */
  empty: string;
}

export interface ReportColumn {
  key: string;
  header: string;
  /**
   * The cells are ISO instants: a table shows them in the cabinet's time zone, to the minute
   * (or to the second, for event logs); CSV and JSON keep the ISO instant.
   */
  instant?: 'minute' | 'second';
}

export type ReportFormat = 'table' | 'csv' | 'json';

export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'csv', 'json'];

/**
 * table: aligned columns for a person, '-' for no value; csv: RFC 4180 with the column keys as
 * the header and empty for no value, text a spreadsheet would run as a formula guarded with a
 * leading ' unless `rawCells`; json: an array of objects keyed like the CSV header.
 */
export function renderReport(
  report: Report,
  format: ReportFormat,
  timeZone = 'UTC',
  csvOptions: CsvOptions = {},
): string {
  const keys = report.columns.map((c) => c.key);
  switch (format) {
    case 'json':
      return printableJson(
        report.rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k] ?? null]))),
      );
    case 'csv':
      return writeCsv(
        keys,
        report.rows.map((r) => keys.map((k) => r[k])),
        csvOptions,
      ).replace(/\r\n$/, '');
    case 'table':
      if (report.rows.length === 0) return report.empty;
      return table(
        report.columns.map((c) => c.header),
        report.rows.map((r) => report.columns.map((c) => cellText(r[c.key], c, timeZone))),
      );
  }
}

const formats = new Map<string, (iso: string) => string>();

function cellText(value: Cell | undefined, column: ReportColumn, timeZone: string): string {
  if (column.instant === undefined || typeof value !== 'string' || value === '') {
    return display(value);
  }
  const id = `${timeZone} ${column.instant}`;
  let format = formats.get(id);
  if (!format) {
    format = localTimeFormat(timeZone, { seconds: column.instant === 'second' });
    formats.set(id, format);
  }
  return format(value);
}

function display(value: Cell | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** "2 h 05 min" for a person reading how long something has lasted. */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = String(minutes % 60).padStart(2, '0');
  if (days > 0) return `${days} d ${hours} h ${mins} min`;
  if (hours > 0) return `${hours} h ${mins} min`;
  return `${minutes % 60} min`;
}
