import { Type, type Static } from '@sinclair/typebox';
import type { WebModule } from '../create-web-server.js';
import { signedIn } from '../signed-in.js';
import type { ClientFor } from '../web-context.js';

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
const Instant = Type.String({ minLength: 1, maxLength: 40 });

const NewContractor = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    company: Type.String({ minLength: 1, maxLength: 200 }),
    card: Type.String({ minLength: 1, maxLength: 40 }),
    keyIds: Type.Optional(Type.Array(Id, { maxItems: 200, uniqueItems: true })),
    keySetId: Type.Optional(Type.Union([Id, Type.Null()])),
    validFrom: Type.Optional(Type.Union([Instant, Type.Null()])),
    validUntil: Instant,
  },
  { additionalProperties: false },
);

/**
 * A contractor in one step: the form's choices (the keys and key sets, by name) and the one
 * call that adds the holder with their company, their card and their permissions, all ending
 * at the same time, in one transaction (src/app/console-operations.ts).
 */
export const contractorsModule =
  (clientFor: ClientFor): WebModule =>
  (app) => {
    app.get(
      '/api/contractors/choices',
      {
        config: { access: 'custodian' },
        schema: {
          summary: 'The keys (by name, in service) and key sets a contractor may be given',
          response: {
            200: Type.Object({
              keys: Type.Array(
                Type.Object({ id: Type.Integer(), label: Type.String(), slot: Type.Integer() }),
              ),
              keySets: Type.Array(
                Type.Object({ id: Type.Integer(), name: Type.String(), keys: Type.Integer() }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const client = clientFor(signedIn(request));
        const keys = (await client.keys.list()).flatMap((k) =>
          k.state === 'active' && k.homeSlot !== null
            ? [{ id: k.id, label: k.label, slot: k.homeSlot }]
            : [],
        );
        const keySets = (await client.keySets.list()).map((s) => ({
          id: s.id,
          name: s.name,
          keys: s.keys.length,
        }));
        return { keys, keySets };
      },
    );
    app.post(
      '/api/contractors',
      {
        config: { access: 'custodian' },
        schema: {
          summary: 'Add a contractor: holder, card and keys, from–until, all or nothing',
          body: NewContractor,
          response: {
            200: Type.Object({
              holderId: Type.Integer(),
              credentialId: Type.Integer(),
              slots: Type.Array(Type.Integer()),
            }),
          },
        },
      },
      (request) =>
        clientFor(signedIn(request)).contractors.add(request.body as Static<typeof NewContractor>),
    );
  };
