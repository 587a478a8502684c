import { Type, type Static } from '@sinclair/typebox';
import { MAX_EVENT_PAGE, type FoundEvent } from '../../app/record-queries.js';
import { eventDetails } from '../../reports/event-details.js';
import type { WebModule } from '../create-web-server.js';
import type { ClientFor } from '../web-context.js';
import { eventNames, EventNamesSchema } from './event-names.js';
import { signedInClient } from './signed-in-client.js';

const EventQuery = Type.Object(
  {
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    holderId: Type.Optional(Type.Integer({ minimum: 1 })),
    keyId: Type.Optional(Type.Integer({ minimum: 1 })),
    /** ISO 8601 instants with their zone: the page turns the cabinet's wall time into them. */
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Integer({ minimum: 1, maximum: MAX_EVENT_PAGE, default: 50 }),
  },
  { additionalProperties: false },
);

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const EventRow = Type.Object({
  seq: Type.Integer(),
  time: Type.String(),
  type: Type.String(),
  holderId: NullableInt,
  holderName: NullableString,
  keyId: NullableInt,
  keyLabel: NullableString,
  /** Who did it, for a custodian's change: "carol@web" as the log records the account. */
  actor: NullableString,
  /** The rest of the event's data as name=value (kept for integrators who read it). */
  details: Type.String(),
  /** The event's data exactly as recorded, for the page's words and an auditor's raw view. */
  data: Type.Record(Type.String(), Type.Unknown()),
});
const EventPageSchema = Type.Object({
  events: Type.Array(EventRow),
  more: Type.Boolean(),
  /** The names of the groups, keys, people… the page's events mention by id. */
  names: EventNamesSchema,
});

/** Fields with a column of their own; the rest of an event's data goes to details. */
const OWN_COLUMNS = ['holderId', 'keyId', 'actor', 'holderName', 'keyLabel'] as const;

function row(found: FoundEvent): Static<typeof EventRow> {
  const { event } = found;
  const data = event.data as Record<string, unknown>;
  const actor = data.actor as { account?: unknown } | undefined;
  return {
    seq: event.seq,
    time: event.time,
    type: event.type,
    holderId: typeof data.holderId === 'number' ? data.holderId : null,
    holderName: found.holderName ?? (typeof data.holderName === 'string' ? data.holderName : null),
    keyId: typeof data.keyId === 'number' ? data.keyId : null,
    keyLabel: found.keyLabel ?? (typeof data.keyLabel === 'string' ? data.keyLabel : null),
    actor: typeof actor?.account === 'string' ? actor.account : null,
    details: eventDetails(data, { skip: OWN_COLUMNS }),
    data,
  };
}

/** GET /api/events: the event log, newest first, filtered and paged by the database. */
export const eventLogModule =
  (clientFor: ClientFor): WebModule =>
  (app) => {
    app.get(
      '/api/events',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'The event log by type, holder, key and time, newest first, a page at a time',
          querystring: EventQuery,
          response: { 200: EventPageSchema },
        },
      },
      async (request) => {
        const filter = request.query as Static<typeof EventQuery>;
        const client = signedInClient(clientFor, request);
        const page = await client.records.searchEvents(filter);
        return {
          events: page.events.map(row),
          more: page.more,
          names: await eventNames(client, page.events),
        };
      },
    );
  };
