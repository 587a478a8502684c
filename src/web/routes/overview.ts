import { Type, type Static } from '@sinclair/typebox';
import type { WebModule } from '../create-web-server.js';
import type { SharedReads } from '../live/shared-reads.js';
import { signedIn } from '../signed-in.js';
import type { ClientFor } from '../web-context.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const SlotSchema = Type.Object({
  slot: Type.Integer(),
  enabled: Type.Boolean(),
  keyId: Type.Union([Type.Integer(), Type.Null()]),
  keyLabel: Nullable(Type.String()),
  keyState: Nullable(Type.String()),
  status: Type.Union([Type.Literal('in'), Type.Literal('out'), Type.Literal('empty')]),
  inSlot: Nullable(Type.String()),
  outWith: Type.Union([Type.Integer(), Type.Null()]),
  holderName: Nullable(Type.String()),
  outSince: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
});

const ActorSchema = Type.Object({ kind: Type.String(), account: Type.String() });

const AlarmSchema = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  slot: Type.Union([Type.Integer(), Type.Null()]),
  reader: Nullable(Type.String()),
  since: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  acknowledged: Type.Union([
    Type.Object({ actor: ActorSchema, note: Type.String(), at: Type.String() }),
    Type.Null(),
  ]),
});

const AlarmParams = Type.Object({ seq: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });
const AcknowledgeBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

const ErrorSchema = Type.Object({ error: Type.String(), message: Type.String() });

/**
 * `seenSeq`: the live change (its `seq`) the page is re-reading after; pages that name the
 * latest one share one read of the daemon (shared-reads.ts). Without it, a fresh read.
 */
const SeenQuery = Type.Object(
  { seenSeq: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1 })) },
  { additionalProperties: false },
);
const seenSeq = (query: unknown) => (query as Static<typeof SeenQuery>).seenSeq;

/**
 * The overview's data: the slot map (each slot's key, what hangs there, who has it, since
 * when, due when) and the alarms in force, which a custodian acknowledges with a note. The
 * pages that re-read them together after a live change share one daemon read (shared-reads.ts).
 */
export const overviewModule =
  (clientFor: ClientFor, shared: SharedReads): WebModule =>
  (app) => {
    app.get(
      '/api/overview/slots',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'Each slot: its key, what hangs there, who has it since when, due when',
          querystring: SeenQuery,
          response: { 200: Type.Array(SlotSchema) },
        },
      },
      (request) =>
        shared.read('slots', seenSeq(request.query), () =>
          clientFor(signedIn(request)).slots.overview(),
        ),
    );
    app.get(
      '/api/alarms',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'The alarms in force, newest first, with their acknowledgement',
          querystring: SeenQuery,
          response: { 200: Type.Array(AlarmSchema) },
        },
      },
      (request) =>
        shared.read('alarms', seenSeq(request.query), () =>
          clientFor(signedIn(request)).alarms.active(),
        ),
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
