import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { KeywardenError } from '../../errors.js';
import { renderReport, type Report } from '../../reports/report.js';
import type { WebModule } from '../create-web-server.js';
import type { ClientFor } from '../web-context.js';
import { signedInClient } from './signed-in-client.js';

export const REPORT_NAMES = [
  'keys-out',
  'overdue',
  'history',
  'access-matrix',
  'physical-audit',
] as const;
type ReportName = (typeof REPORT_NAMES)[number];

/** The most rows a report shows in the page; the CSV download has them all. */
export const MAX_SHOWN_ROWS = 500;

/** A UTC instant as the page sends it (the cabinet's wall time turned into one). */
const UTC_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?Z$';

const NameParams = Type.Object({
  name: Type.Unsafe<ReportName>(Type.Union(REPORT_NAMES.map((n) => Type.Literal(n)))),
});
const ReportQuery = Type.Object(
  {
    /** history: one of the two is required. */
    holderId: Type.Optional(Type.Integer({ minimum: 1 })),
    keyId: Type.Optional(Type.Integer({ minimum: 1 })),
    from: Type.Optional(Type.String({ pattern: UTC_INSTANT })),
    to: Type.Optional(Type.String({ pattern: UTC_INSTANT })),
    /** physical-audit: only the slots with a finding. */
    findingsOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
type Query = Static<typeof ReportQuery>;

const Cell = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const ReportSchema = Type.Object({
  columns: Type.Array(
    Type.Object({
      key: Type.String(),
      header: Type.String(),
      instant: Type.Optional(Type.Union([Type.Literal('minute'), Type.Literal('second')])),
    }),
  ),
  rows: Type.Array(Type.Record(Type.String(), Cell)),
  /** Rows in the report; more than `rows` holds when it was cut to MAX_SHOWN_ROWS. */
  total: Type.Integer(),
  empty: Type.String(),
});

/** The instant as the log stores it; a date the pattern lets through but no calendar has, refused. */
function utc(value: string, name: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new KeywardenError('USAGE', `querystring/${name} is not a real instant: ${value}`);
  }
  return date.toISOString();
}

async function runReport(
  clientFor: ClientFor,
  request: FastifyRequest,
  name: ReportName,
  query: Query,
): Promise<Report> {
  const reports = signedInClient(clientFor, request).reports;
  switch (name) {
    case 'keys-out':
      return reports.keysOut();
    case 'overdue':
      return reports.overdue();
    case 'history': {
      const { holderId, keyId, from, to } = query;
      if ((holderId === undefined) === (keyId === undefined)) {
        throw new KeywardenError('USAGE', 'history: give holderId or keyId (one of the two)');
      }
      if (from !== undefined && to !== undefined && from >= to) {
        throw new KeywardenError('USAGE', 'history: from must be before to');
      }
      return reports.history({
        ...(holderId !== undefined ? { holderId } : { keyId }),
        ...(from !== undefined && { from: utc(from, 'from') }),
        ...(to !== undefined && { to: utc(to, 'to') }),
      });
    }
    case 'access-matrix':
      return reports.accessMatrix(query.holderId === undefined ? {} : { holderId: query.holderId });
    case 'physical-audit':
      return reports.audit({ findingsOnly: query.findingsOnly === true });
  }
}

/**
 * The reports of `keywarden report` for the console: shown as a table (the first rows) and
 * downloaded whole as CSV, with cells a spreadsheet would run as a formula guarded as the
 * command line's exports guard them.
 */
export const reportsModule =
  (clientFor: ClientFor, options: { cabinetId: string }): WebModule =>
  (app) => {
    app.get(
      '/api/reports/:name',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'A report as rows with named columns (the first 500 rows)',
          params: NameParams,
          querystring: ReportQuery,
          response: { 200: ReportSchema },
        },
      },
      async (request) => {
        const { name } = request.params as Static<typeof NameParams>;
        const report = await runReport(clientFor, request, name, request.query as Query);
        return {
          columns: report.columns,
          rows: report.rows.slice(0, MAX_SHOWN_ROWS),
          total: report.rows.length,
          empty: report.empty,
        };
      },
    );

    app.get(
      '/api/reports/:name/csv',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'A report as a CSV file to download, formula cells guarded',
          params: NameParams,
          querystring: ReportQuery,
          response: { 200: { type: 'string', contentMediaType: 'text/csv' } },
        },
      },
      async (request, reply) => {
        const { name } = request.params as Static<typeof NameParams>;
        const report = await runReport(clientFor, request, name, request.query as Query);
        const day = new Date().toISOString().slice(0, 10);
        // The cabinet id is [A-Za-z0-9_-] (the config checks it): safe in a header as it is.
        const file = `keywarden-${options.cabinetId}-${name}-${day}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file}"`)
          .header('cache-control', 'no-store')
          .send(`${renderReport(report, 'csv')}\r\n`);
      },
    );
  };
