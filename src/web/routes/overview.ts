import { Type, type Static } from '@sinclair/typebox';
import type { WebModule } from '../create-web-server.js';
import { AlarmsSchema, SlotsSchema } from './overview-schemas.js';
import { signedIn } from '../signed-in.js';
import type { ClientFor } from '../web-context.js';

const AlarmParams = Type.Object({ seq: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });
const AcknowledgeBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

const ErrorSchema = Type.Object({ error: Type.String(), message: Type.String() });

/**
 * The overview's data: the slot map (each slot's key, what hangs there, who has it, since
 * when, due when) and the alarms in force, which a custodian acknowledges with a note. An open
 * overview reads them here once; after that its live stream brings them at each change
 * (live/live-feed.ts), so open pages do not come back here for every change.
 */
export const overviewModule =
  (clientFor: ClientFor): WebModule =>
  (app) => {
    app.get(
      '/api/overview/slots',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'Each slot: its key, what hangs there, who has it since when, due when',
          response: { 200: SlotsSchema },
        },
      },
      (request) => clientFor(signedIn(request)).slots.overview(),
    );
    app.get(
      '/api/alarms',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'The alarms in force, newest first, with their acknowledgement',
          response: { 200: AlarmsSchema },
        },
      },
      (request) => clientFor(signedIn(request)).alarms.active(),
    );
    app.post(
      '/api/alarms/:seq/acknowledge',
      {
        config: { access: 'custodian' },
        schema: {
          summary: 'Acknowledge an alarm with a note (recorded as alarm.acknowledged)',
          params: AlarmParams,
          body: AcknowledgeBody,
          response: { 200: Type.Object({ acknowledged: Type.Boolean() }), 400: ErrorSchema },
        },
      },
      async (request) => {
        const { seq } = request.params as Static<typeof AlarmParams>;
        const { note } = request.body as Static<typeof AcknowledgeBody>;
        await clientFor(signedIn(request)).alarms.acknowledge(seq, note);
        return { acknowledged: true };
      },
    );
  };
