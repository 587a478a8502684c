import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { WebModule } from '../create-web-server.js';
import { signedIn } from '../signed-in.js';
import type { ClientFor } from '../web-context.js';

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
const Maybe = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** An instant with its zone, as the API's strict parser takes it (checked again by the app). */
const Instant = Type.String({ minLength: 1, maxLength: 40 });
const Text = Type.String({ minLength: 1, maxLength: 200 });

const HolderParams = Type.Object({ id: Id });
const CardParams = Type.Object({ cardId: Id });

const SearchQuery = Type.Object(
  {
    text: Type.Optional(Type.String({ maxLength: 200 })),
    groupId: Type.Optional(Id),
    enabled: Type.Optional(Type.Boolean()),
    expired: Type.Optional(Type.Boolean()),
    keysOut: Type.Optional(Type.Boolean()),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

const HolderRow = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  company: Maybe(Type.String()),
  enabled: Type.Boolean(),
  validFrom: Maybe(Type.String()),
  validUntil: Maybe(Type.String()),
  expired: Type.Boolean(),
  cards: Type.Integer(),
  keysOut: Type.Integer(),
});

const OutstandingKey = Type.Object({
  keyId: Type.Integer(),
  keyLabel: Type.String(),
  slot: Type.Integer(),
  outAt: Type.String(),
});

const HolderDetails = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  company: Maybe(Type.String()),
  enabled: Type.Boolean(),
  validFrom: Maybe(Type.String()),
  validUntil: Maybe(Type.String()),
  maxKeysOut: Maybe(Type.Integer()),
  groups: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  keysOut: Type.Array(OutstandingKey),
  cards: Type.Array(
    Type.Object({
      id: Type.Integer(),
      card: Type.String(),
      enabled: Type.Boolean(),
      validFrom: Maybe(Type.String()),
      validUntil: Maybe(Type.String()),
      pin: Type.Boolean(),
      pinRequired: Type.Boolean(),
    }),
  ),
});

const NewHolder = Type.Object(
  {
    name: Text,
    company: Type.Optional(Maybe(Text)),
    validFrom: Type.Optional(Maybe(Instant)),
    validUntil: Type.Optional(Maybe(Instant)),
    maxKeysOut: Type.Optional(Maybe(Type.Integer({ minimum: 0, maximum: 1000 }))),
  },
  { additionalProperties: false },
);
const HolderPatch = Type.Object(
  {
    name: Type.Optional(Text),
    company: Type.Optional(Maybe(Text)),
    validFrom: Type.Optional(Maybe(Instant)),
    validUntil: Type.Optional(Maybe(Instant)),
    maxKeysOut: Type.Optional(Maybe(Type.Integer({ minimum: 0, maximum: 1000 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
const NewCard = Type.Object(
  {
    card: Type.String({ minLength: 1, maxLength: 40 }),
    validFrom: Type.Optional(Maybe(Instant)),
    validUntil: Type.Optional(Maybe(Instant)),
  },
  { additionalProperties: false },
);
const CardPatch = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });
const Empty = Type.Object({}, { additionalProperties: false });

/** How long the console waits for a card to be tapped at the cabinet. */
export const ENROL_WAIT_MS = 60_000;

const params = <T extends TSchema>(request: FastifyRequest, _schema: T) =>
  request.params as Static<T>;
const body = <T extends TSchema>(request: FastifyRequest, _schema: T) => request.body as Static<T>;

/**
 * The people page's API: holders searched, filtered and paged by the server; one holder with
 * cards, groups and keys out; add, edit, disable (saying which keys they still have), cards
 * (add, disable, enrol by a tap at the cabinet), PIN reset. Reads for any signed-in user,
 * changes for custodians; every change is the application layer's, audited in the user's name.
 */
export const peopleModule =
  (clientFor: ClientFor): WebModule =>
  (app) => {
    const client = (request: FastifyRequest) => clientFor(signedIn(request));
    const viewer = { access: 'viewer' } as const;
    const custodian = { access: 'custodian' } as const;

    app.get(
      '/api/people',
      {
        config: viewer,
        schema: {
          summary: 'Holders matching a search and filters, a page at a time, in name order',
          querystring: SearchQuery,
          response: {
            200: Type.Object({
              rows: Type.Array(HolderRow),
              total: Type.Integer({
                description: 'How many match; with moreThanTotal, more than this many match',
              }),
              moreThanTotal: Type.Boolean({
                description: 'Counting stopped at 1,000 matches (or at the page shown, past them)',
              }),
            }),
          },
        },
      },
      (request) => client(request).holders.search(request.query as Static<typeof SearchQuery>),
    );

    app.get(
      '/api/people/filters',
      {
        config: viewer,
        schema: {
          summary: 'The groups a search may filter by',
          response: {
            200: Type.Object({
              groups: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
            }),
          },
        },
      },
      async (request) => ({
        groups: (await client(request).groups.list()).map(({ id, name }) => ({ id, name })),
      }),
    );

    app.get(
      '/api/people/:id',
      {
        config: viewer,
        schema: {
          summary: 'One holder: validity, cards (shortened), groups, keys out',
          params: HolderParams,
          response: { 200: HolderDetails },
        },
      },
      async (request) => {
        const { id } = params(request, HolderParams);
        const c = client(request);
        const holder = await c.holders.show(id);
        const cards = (await c.credentials.list(id)).map((card) => ({
          id: card.id,
          card: card.card,
          enabled: card.enabled,
          validFrom: card.validFrom,
          validUntil: card.validUntil,
          pin: card.pin,
          pinRequired: card.pinRequired,
        }));
        return { ...holder, cards };
      },
    );

    app.post(
      '/api/people',
      {
        config: custodian,
        schema: {
          summary: 'Add a holder',
          body: NewHolder,
          response: { 200: Type.Object({ id: Type.Integer() }) },
        },
      },
      async (request) => {
        const { name, ...options } = body(request, NewHolder);
        return { id: await client(request).holders.add(name, options) };
      },
    );

    app.patch(
      '/api/people/:id',
      {
        config: custodian,
        schema: {
          summary: 'Change a holder: name, company, validity window, keys-out limit',
          params: HolderParams,
          body: HolderPatch,
          response: { 200: Type.Object({ changed: Type.Boolean() }) },
        },
      },
      async (request) => ({
        changed: await client(request).holders.update(
          params(request, HolderParams).id,
          body(request, HolderPatch),
        ),
      }),
    );

    app.post(
      '/api/people/:id/disable',
      {
        config: custodian,
        schema: {
          summary: 'Disable a holder; answers the keys they still have out',
          params: HolderParams,
          body: Empty,
          response: {
            200: Type.Object({ changed: Type.Boolean(), outstanding: Type.Array(OutstandingKey) }),
          },
        },
      },
      (request) => client(request).holders.disable(params(request, HolderParams).id),
    );

    app.post(
      '/api/people/:id/enable',
      {
        config: custodian,
        schema: {
          summary: 'Enable a holder again',
          params: HolderParams,
          body: Empty,
          response: { 200: Type.Object({ changed: Type.Boolean() }) },
        },
      },
      async (request) => ({
        changed: await client(request).holders.enable(params(request, HolderParams).id),
      }),
    );

    app.post(
      '/api/people/:id/cards',
      {
        config: custodian,
        schema: {
          summary: 'Add a card by its number',
          params: HolderParams,
          body: NewCard,
          response: { 200: Type.Object({ id: Type.Integer() }) },
        },
      },
      async (request) => {
        const { card, ...bounds } = body(request, NewCard);
        const id = await client(request).credentials.add(
          params(request, HolderParams).id,
          card,
          bounds,
        );
        return { id };
      },
    );

    app.post(
      '/api/people/:id/cards/enrol',
      {
        config: custodian,
        schema: {
          summary: 'Enrol the next card tapped at the cabinet (waits up to a minute)',
          params: HolderParams,
          body: Empty,
          response: {
            200: Type.Object({ enrolled: Type.Boolean(), message: Type.String() }),
          },
        },
      },
      async (request, reply) => {
        const pending = client(request).requests.enrolNextCard(
          params(request, HolderParams).id,
          ENROL_WAIT_MS,
        );
        // A page closed while waiting must not leave the request open: a card tapped later
        // would be enrolled in this user's name. The response's 'close' is the connection going
        // before the answer was sent (the request's own 'close' comes as soon as its body has
        // been read, and would cancel every wait at once).
        const cancel = () => {
          if (!reply.raw.writableEnded) pending.cancel();
        };
        reply.raw.once('close', cancel);
        try {
          const outcome = await pending.outcome;
          if (outcome === null) {
            return { enrolled: false, message: 'no card was tapped at the cabinet in time' };
          }
          if (outcome.cancelled === true) {
            return { enrolled: false, message: 'the wait for a card was cancelled' };
          }
          if (typeof outcome.error === 'string') {
            return {
              enrolled: false,
              message: `the card was read but not enrolled: ${outcome.error}`,
            };
          }
          return { enrolled: true, message: `card ${String(outcome.card)} enrolled` };
        } finally {
          reply.raw.off('close', cancel);
        }
      },
    );

    app.patch(
      '/api/people/cards/:cardId',
      {
        config: custodian,
        schema: {
          summary: 'Disable or enable a card',
          params: CardParams,
          body: CardPatch,
          response: { 200: Type.Object({ changed: Type.Boolean() }) },
        },
      },
      async (request) => ({
        changed: await client(request).credentials.update(
          params(request, CardParams).cardId,
          body(request, CardPatch),
        ),
      }),
    );

    app.post(
      '/api/people/cards/:cardId/pin-reset',
      {
        config: custodian,
        schema: {
          summary: 'Reset a card’s PIN: remove it (the holder sets a new one) and end a PIN lock',
          params: CardParams,
          body: Empty,
          response: { 200: Type.Object({ cleared: Type.Boolean(), wrongPins: Type.Integer() }) },
        },
      },
      async (request) => {
        const { cardId } = params(request, CardParams);
        const c = client(request);
        const wrongPins = await c.pins.resetWrongPins(cardId);
        const cleared = await c.pins.clear(cardId);
        return { cleared, wrongPins };
      },
    );
  };
