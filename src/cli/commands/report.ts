import type { CustodianClient } from '../../app/custodian-client.js';
import { KeywardenError } from '../../errors.js';
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
import { instant } from '../../app/values.js';

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
  build: (app: CustodianClient, args: ParsedArgs, io: CommandIo) => Promise<Report>,
): Command {
  return {
    path: ['report', name],
    summary,
    usage: `report ${name}${usage} [--format table|csv|json] [--raw-cells]

  CSV cells that a spreadsheet would run as formulas (a leading = + - @, tab or CR) get a '
  in front; --raw-cells writes them exactly as stored.`,
    options: { ...FORMAT, 'raw-cells': { type: 'boolean' }, ...options },
    async run(args, io) {
      const chosen = format(args);
      const ctx = await openCustodian(args, { mustExist: true });
      let report: Report;
      const timeZone = ctx.config.cabinet.timeZone;
      try {
        report = await build(ctx.app, args, io);
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
  reportCommand('keys-out', 'keys out now: with whom, since when, due when', '', {}, (app) =>
    app.reports.keysOut(),
  ),
  reportCommand('overdue', 'keys out past their due time, most overdue first', '', {}, (app) =>
    app.reports.overdue(),
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
    async (app, args, io) => {
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
      const oldest = await app.reports.prunedBefore();
      // Pruned events are gone: say so when the period reaches back before what is held.
      if (oldest !== null && (from === undefined || from < oldest)) {
        io.err(`events before ${oldest} have been pruned (the central server holds them)`);
      }
      return await app.reports.history({
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
    async (app, args) => {
      const holder = args.values.holder;
      return await app.reports.accessMatrix(
        typeof holder === 'string' ? { holderId: positiveInt(holder, '--holder') } : {},
      );
    },
  ),
  reportCommand(
    'audit',
    'physical inventory as last known, slot by slot, against the loans and key states',
    ' [--findings-only]',
    { 'findings-only': { type: 'boolean' } },
    async (app, args) => {
      return await app.reports.audit({ findingsOnly: args.values['findings-only'] === true });
    },
  ),
];
