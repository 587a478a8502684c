import type { CsvExport } from '../../app/csv-transfer.js';
import { printable } from '../../domain/values/free-text.js';
import { readFileSync } from 'node:fs';
import { KeywardenError } from '../../errors.js';
import { writeCsv } from '../../import/csv.js';
import type { ImportKind } from '../../import/import-kind.js';
import { IMPORT_KINDS } from '../../import/kinds.js';
import { EXIT } from '../exit-codes.js';
import { openCustodian } from '../context.js';
import type { Command, CommandIo, ParsedArgs } from '../command.js';
import { checkOutputPath, writeOutputFile } from '../output-file.js';

function readUtf8(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new KeywardenError('USAGE', `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new KeywardenError('USAGE', `${file} is not UTF-8 text (save it as CSV UTF-8)`);
  }
}

function importCommand(kind: ImportKind): Command {
  return {
    path: ['import', kind.name],
    summary: `import ${kind.name} from CSV, all or nothing (header: ${kind.headers.join(',')})`,
    usage: `import ${kind.name} <file.csv> [--dry-run] [--as <custodian>]`,
    positionals: ['file.csv'],
    options: { 'dry-run': { type: 'boolean' }, as: { type: 'string' } },
    async run(args: ParsedArgs, io: CommandIo) {
      const file = args.positionals[0] ?? '';
      const csv = readUtf8(file);
      const dryRun = args.values['dry-run'] === true;
      const ctx = await openCustodian(args);
      let report;
      try {
        // The badge reader's checks on card numbers are the side's that opened the records.
        report = await ctx.app.csv.import(kind.name, csv, { dryRun });
      } finally {
        ctx.close();
      }
      if (report.errors.length > 0) {
        // A message may quote a cell of the file: never hand its control characters to the terminal.
        for (const e of report.errors) io.err(printable(`${file}:${e.line}: ${e.message}`));
        io.err(
          `nothing imported: ${report.errors.length} bad row${report.errors.length === 1 ? '' : 's'} (fix ${report.errors.length === 1 ? 'it' : 'them'} and import the whole file again)`,
        );
        return EXIT.failed;
      }
      const rows = `${report.rows} row${report.rows === 1 ? '' : 's'}`;
      io.out(
        report.applied
          ? `imported ${kind.name}: ${rows}, ${report.changes} changes written, ${report.unchanged} already in the records`
          : `dry run, nothing written: ${rows} valid, ${report.changes} changes to write, ${report.unchanged} already in the records`,
      );
    },
  };
}

function exportCommand(kind: ImportKind): Command {
  const cards = kind.name === 'credentials';
  return {
    path: ['export', kind.name],
    summary: `export ${kind.name} as CSV that \`import ${kind.name}\` reads back${cards ? ' (card numbers masked unless --with-cards)' : ''}`,
    usage: `export ${kind.name} [--output <file.csv>]${cards ? ' [--with-cards]' : ''} [--raw-cells]

  A text cell starting with = + - @, a tab or a carriage return is written with a ' in front,
  so that a spreadsheet shows it instead of running it as a formula; import reads it back
  without the '. --raw-cells writes every cell exactly as stored.`,
    options: {
      output: { type: 'string', short: 'o' },
      'raw-cells': { type: 'boolean' },
      ...(cards ? { 'with-cards': { type: 'boolean' } } : {}),
    },
    async run(args: ParsedArgs, io: CommandIo) {
      const withCards = args.values['with-cards'] === true;
      const output = args.values.output;
      if (typeof output === 'string') checkOutputPath(output);
      const ctx = await openCustodian(args, { mustExist: true });
      let exported: CsvExport;
      try {
        exported = await ctx.app.csv.export(kind.name, { cards: withCards });
      } finally {
        ctx.close();
      }
      const { rows, holdersWithoutRef: unlinked } = exported;
      const csv = writeCsv(kind.headers, rows, { rawCells: args.values['raw-cells'] === true });
      if (typeof output === 'string') {
        // Personal data, full card numbers with --with-cards: only the owner may read it.
        writeOutputFile(output, csv);
        io.err(`${rows.length} ${kind.name} written to ${output}`);
      } else {
        io.out(csv.replace(/\r\n$/, ''));
      }
      if (unlinked > 0) {
        io.err(
          `${unlinked} holder${unlinked === 1 ? '' : 's'} without an HR reference left out (added by hand or by the central server)`,
        );
      }
    },
  };
}

export const csvCommands: Command[] = [
  ...IMPORT_KINDS.map(importCommand),
  ...IMPORT_KINDS.map(exportCommand),
];
