import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, unguardFormula, writeCsv } from '../../src/import/csv.js';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('RFC 4180 CSV', () => {
  it('reads quoted commas, doubled quotes and line breaks inside quotes', () => {
    expect(fields('a,"b,c","say ""hi""","two\nlines"\n')).toEqual([
      ['a', 'b,c', 'say "hi"', 'two\nlines'],
    ]);
  });

  it('takes CRLF and LF alike, with or without a final line break, and skips a UTF-8 BOM', () => {
    expect(fields('\uFEFFa,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,"x\r\ny"\r\n')).toEqual([['a', 'x\r\ny']]);
  });

  it('keeps empty fields, quoted or not, and counts lines from where a record starts', () => {
    const records = parseCsv('h1,h2\n,""\n"multi\nline",x\nlast,\n');
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['h1', 'h2']],
      [2, ['', '']],
      [3, ['multi\nline', 'x']],
      [5, ['last', '']],
    ]);
  });

  it.each([
    ['a,b"c\n', 1, 'double quote inside a field'],
    ['a\n"b"c\n', 2, 'text after a closing double quote'],
    ['a\nb,"never closed\n\n', 2, 'never closed'],
    ['a\rb\n', 1, 'carriage return without a line feed'],
  ])('refuses %j at line %i', (text, line, message) => {
    let caught: unknown;
    try {
      parseCsv(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CsvSyntaxError);
    expect((caught as CsvSyntaxError).line).toBe(line);
    expect((caught as Error).message).toContain(message);
  });

  it('reads back whatever it writes (any text, any shape of rows)', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', ' ', ',', '"', '\r', '\n', 'é', '…', 'x', '=', '-', "'", '@'),
    });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.tuple(
              fc.array(text, { minLength: width, maxLength: width }),
              fc.array(fc.array(text, { minLength: width, maxLength: width }), { maxLength: 6 }),
            ),
          ),
        ([headers, rows]) => {
          expect(fields(writeCsv(headers, rows, { rawCells: true }))).toEqual([headers, ...rows]);
          // Guarded against spreadsheet formulas, the import's unguard gives every cell back.
          const guarded = fields(writeCsv(headers, rows)).map((r) => r.map(unguardFormula));
          expect(guarded).toEqual([headers, ...rows]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
