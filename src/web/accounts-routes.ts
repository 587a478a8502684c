import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { WebAccounts } from '../app/web-accounts/web-accounts.js';
import {
  AccountChangeBody,
  AccountEvents,
  AccountList,
  AccountParams,
  AccountView,
  ApiErrorSchema,
  NewAccountBody,
  withRefusals,
} from './accounts-schemas.js';

/** Who changed something: the signed-in account (the access check has set it by then). */
const actor = (user: { account: string } | null): string => user?.account ?? 'unknown';

/** The administrators' management of the console's accounts. */
export function accountsRoutes(app: FastifyInstance, accounts: WebAccounts): void {
  app.get(
    '/api/accounts',
    {
      config: { access: 'admin' },
      schema: {
        summary: "The console's accounts",
        tags: ['accounts'],
        response: withRefusals({ 200: AccountList }),
      },
    },
    () => ({ accounts: accounts.list() }),
  );

  app.get<{ Querystring: { limit: number } }>(
    '/api/accounts/events',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Who changed which account, how and when; the newest first',
        tags: ['accounts'],
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
          { additionalProperties: false },
        ),
        response: withRefusals({ 200: AccountEvents }),
      },
    },
    (request) => ({ events: accounts.history(request.query.limit) }),
  );

  app.post<{ Body: Static<typeof NewAccountBody> }>(
    '/api/accounts',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Add an account',
        tags: ['accounts'],
        body: NewAccountBody,
        response: withRefusals({ 201: AccountView, 409: ApiErrorSchema }),
      },
    },
    async (request, reply) => {
      const added = await accounts.add(actor(request.webUser), request.body);
      return reply.code(201).send(added);
    },
  );

  app.patch<{ Params: Static<typeof AccountParams>; Body: Static<typeof AccountChangeBody> }>(
    '/api/accounts/:account',
    {
      config: { access: 'admin' },
      schema: {
        summary: "Change an account's role, disable or enable it, or reset its password",
        description: "Any change ends the account's sessions.",
        tags: ['accounts'],
        params: AccountParams,
        body: AccountChangeBody,
        response: withRefusals({ 200: AccountView, 404: ApiErrorSchema, 409: ApiErrorSchema }),
      },
    },
    async (request) =>
      accounts.update(actor(request.webUser), request.params.account, request.body),
  );
}
