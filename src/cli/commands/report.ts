import type { Database } from 'better-sqlite3';
import { KeywardenError } from '../../errors.js';
import { accessMatrixReport } from '../../reports/access-matrix.js';
import { auditReport } from '../../reports/audit.js';
import { historyReport, prunedBefore } from '../../reports/history.js';
import { keysOutReport, overdueReport } from '../../reports/loans.js';
import {
  REPORT_FORMATS,
  renderReport,
  type Report,
  type ReportFormat,
} from '../../reports/report.js';
import {
  positiveInt,
  type Command,
  type CommandIo,
  type OptionSpec,
  type ParsedArgs,
} from '../command.js';
import { openCustodian } from '../context.js';
import { instant } from '../../store/custodian/values.js';

const FORMAT: OptionSpec = { format: { type: 'string', short: 'f' } };

function format(args: ParsedArgs): ReportFormat {
  const given = args.values.format ?? 'table';
  if (!REPORT_FORMATS.includes(given as ReportFormat)) {
    throw new KeywardenError(
      'USAGE',
      `--format must be ${REPORT_FORMATS.join(', ')}, not "${String(given)}"`,
    );
  }
  return given as ReportFormat;
}

function optionalInstant(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? instant(value, `--${name}`) : undefined;
}

/** A report command: reads the database (which must exist), prints in the chosen format. */
function reportCommand(
  name: string,
  summary: string,
  usage: string,
  options: OptionSpec,
  build: (db: Database, args: ParsedArgs, io: CommandIo) => Report,
): Command {
  return {
    path: ['report', name],
    summary,
    usage: `report ${name}${usage} [--format table|csv|json] [--raw-cells]

  CSV cells that a spreadsheet would run as formulas (a leading = + - @, tab or CR) get a '
  in front; --raw-cells writes them exactly as stored.`,
    options: { ...FORMAT, 'raw-cells': { type: 'boolean' }, ...options },
    run(args, io) {
      const chosen = format(args);
      const ctx = openCustodian(args, { mustExist: true });
      let report: Report;
      const timeZone = ctx.config.cabinet.timeZone;
      try {
        report = build(ctx.db, args, io);
      } finally {
        ctx.close();
      }
      io.out(
        renderReport(report, chosen, timeZone, { rawCells: args.values['raw-cells'] === true }),
      );
    },
  };
}

export const reportCommands: Command[] = [
  reportCommand('keys-out', 'keys out now: with whom, since when, due when', '', {}, (db) =>
    keysOutReport(db, new Date()),
  ),
  reportCommand('overdue', 'keys out past their due time, most overdue first', '', {}, (db) =>
    overdueReport(db, new Date()),
  ),
  reportCommand(
    'history',
    'what happened to a key, or what a holder did, over a period (from the event log)',
    ' --key <key-id> | --holder <holder-id> [--from <time>] [--to <time>]',
    {
      key: { type: 'string' },
      holder: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
    (db, args, io) => {
      const key = args.values.key;
      const holder = args.values.holder;
      if ((key === undefined) === (holder === undefined)) {
        throw new KeywardenError('USAGE', 'give either --key or --holder');
      }
      const from = optionalInstant(args, 'from');
      const to = optionalInstant(args, 'to');
      if (from !== undefined && to !== undefined && from >= to) {
        throw new KeywardenError('USAGE', '--from must be before --to');
      }
      const oldest = prunedBefore(db);
      // Pruned events are gone: say so when the period reaches back before what is held.
      if (oldest !== null && (from === undefined || from < oldest)) {
        io.err(`events before ${oldest} have been pruned (the central server holds them)`);
      }
      return historyReport(db, {
        ...(typeof key === 'string' ? { keyId: positiveInt(key, '--key') } : {}),
        ...(typeof holder === 'string' ? { holderId: positiveInt(holder, '--holder') } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      });
    },
  ),
  reportCommand(
    'access-matrix',
    'who may take which key, when: direct permissions and grants, groups and key sets resolved',
    ' [--holder <holder-id>]',
    { holder: { type: 'string' } },
    (db, args) => {
      const holder = args.values.holder;
      return accessMatrixReport(
        db,
        typeof holder === 'string' ? { holderId: positiveInt(holder, '--holder') } : {},
      );
    },
  ),
  reportCommand(
    'audit',
    'physical inventory as last known, slot by slot, against the loans and key states',
    ' [--findings-only]',
    { 'findings-only': { type: 'boolean' } },
    (db, args) => {
      const report = auditReport(db);
      if (args.values['findings-only']) {
        return {
          ...report,
          rows: report.rows.filter((r) => r.findings !== ''),
          empty: 'nothing to report: the inventory agrees with the records',
        };
      }
      return report;
    },
  ),
];
