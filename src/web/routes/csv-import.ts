import { Type, type Static } from '@sinclair/typebox';
import type { WebModule } from '../create-web-server.js';
import type { ClientFor } from '../web-context.js';
import { signedInClient } from './signed-in-client.js';

/**
 * The largest file the console takes, in characters: some 10,000 holders' rows. Below the web
 * server's body limit, so that a larger one is refused by name ("body/csv") with nothing read.
 */
export const MAX_IMPORT_CHARS = 1024 * 1024;

const KindParams = Type.Object({
  kind: Type.Union([
    Type.Literal('holders'),
    Type.Literal('credentials'),
    Type.Literal('permissions'),
  ]),
});
const ImportBody = Type.Object(
  {
    csv: Type.String({ maxLength: MAX_IMPORT_CHARS }),
    /** false: a dry run, the preview of what would change; true: apply all or nothing. */
    apply: Type.Boolean(),
  },
  { additionalProperties: false },
);
const ImportReportSchema = Type.Object({
  rows: Type.Integer(),
  changes: Type.Integer(),
  unchanged: Type.Integer(),
  errors: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })),
  applied: Type.Boolean(),
});

/**
 * POST /api/import/:kind: the HR system's holders, credentials or permissions file, checked
 * row by row by the application layer's import (the one `keywarden import` runs): first as a
 * dry run that says what would change and which lines are wrong, then applied all or nothing.
 */
export const csvImportModule =
  (clientFor: ClientFor): WebModule =>
  (app) => {
    app.post(
      '/api/import/:kind',
      {
        config: { access: 'custodian' },
        schema: {
          summary:
            'Check (apply: false) or apply a CSV file of holders, credentials or permissions',
          params: KindParams,
          body: ImportBody,
          response: { 200: ImportReportSchema },
        },
      },
      async (request) => {
        const { kind } = request.params as Static<typeof KindParams>;
        const { csv, apply } = request.body as Static<typeof ImportBody>;
        return signedInClient(clientFor, request).csv.import(kind, csv, { dryRun: !apply });
      },
    );
  };
