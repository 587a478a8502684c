/**
 * RFC 4180 CSV, strictly: fields separated by commas, records by CRLF or LF, a field in double
 * quotes may hold commas, quotes (doubled) and line breaks. UTF-8 with or without a byte-order
 * mark. Anything else (a quote inside an unquoted field, text after a closing quote, a quote
 * never closed) is an error naming the line, because a file that HR software mangled should be
 * refused rather than half-read.
 */

export interface CsvRecord {
  /** The line of the file on which the record starts (1-based); a quoted line break moves on. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

export function parseCsv(input: string): CsvRecord[] {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  // Whether the current field was quoted: it then ends only at a comma or a record break.
  let quoted = false;
  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    quoted = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      if (field !== '' || quoted) {
        throw new CsvSyntaxError(line, 'a double quote inside a field must be in a quoted field');
      }
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length)
          throw new CsvSyntaxError(recordLine, 'a quoted field is never closed');
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(line, 'text after a closing double quote');
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      quoted = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      if (c === '\r') {
        if (text[i + 1] !== '\n')
          throw new CsvSyntaxError(line, 'a carriage return without a line feed');
        i++;
      }
      i++;
      endRecord();
      line++;
      recordLine = line;
      continue;
    }
    if (quoted) throw new CsvSyntaxError(line, 'text after a closing double quote');
    field += c;
    i++;
  }
  // The last record needs no line break after it; an empty file has no records.
  if (field !== '' || fields.length > 0 || quoted) endRecord();
  return records;
}

/** Quotes a field only when it must: a comma, a quote, a line break or edge spaces. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * What the guard prefixes: a cell a spreadsheet runs as a formula when it starts with it (CSV
 * injection: `=HYPERLINK`, `@SUM`, `+cmd|…`, and a leading tab or CR that some applications
 * strip before looking), also when already behind quotes ('=…), so that the import can tell the
 * guard from a value's own leading quote and every value reads back.
 */
const GUARDED = /^'*[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet would run, prefixed with `'` so that it is shown as text (the
 * OWASP advice). Numbers are left alone: -5 is a number, not a formula.
 */
export function guardFormula(value: unknown): unknown {
  return typeof value === 'string' && GUARDED.test(value) ? `'${value}` : value;
}

/** The reverse, for import: a cell the export guarded reads back exactly as it was. */
export function unguardFormula(field: string): string {
  return field.startsWith("'") && GUARDED.test(field.slice(1)) ? field.slice(1) : field;
}

export interface CsvOptions {
  /** Write cells exactly as stored, formulas included (`--raw-cells`). Default: guarded. */
  rawCells?: boolean;
}

/** CRLF line endings, as RFC 4180 has them; every record ends with one. */
export function writeCsv(
  headers: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  options: CsvOptions = {},
): string {
  const cell = options.rawCells ? (v: unknown) => v : guardFormula;
  return [headers, ...rows]
    .map((r) => r.map((v) => csvField(cell(v) as string | number | null)).join(',') + '\r\n')
    .join('');
}
