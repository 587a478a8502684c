import { Type, type Static } from '@sinclair/typebox';
import type { WebModule } from '../create-web-server.js';
import type { ClientFor } from '../web-context.js';
import { signedInClient } from './signed-in-client.js';

/** 1 to 6 digits, as the keypad takes them (the application layer checks again). */
const Code = Type.String({ pattern: '^[0-9]{1,6}$', maxLength: 6 });
const CodeParams = Type.Object({ code: Code });
const NewCode = Type.Object(
  { code: Code, description: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const ReasonCodesAnswer = Type.Object({
  reasonCodes: Type.Array(Type.Object({ code: Type.String(), description: Type.String() })),
  /**
   * The tiers that ask the taker for a reason code. With no codes listed the cabinet takes any
   * code of 1 to 6 digits and records it, so the page says so rather than let a tier look
   * impossible to satisfy.
   */
  tiersAsking: Type.Array(Type.String()),
});

/**
 * The reason codes a holder types at the cabinet when a key's tier asks for one: list for any
 * signed-in user, add and remove for custodians, each an audited event in the user's name.
 */
export const reasonCodesModule =
  (clientFor: ClientFor): WebModule =>
  (app) => {
    app.get(
      '/api/reason-codes',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'The reason codes, and the tiers that ask for one',
          response: { 200: ReasonCodesAnswer },
        },
      },
      async (request) => {
        const client = signedInClient(clientFor, request);
        const [reasonCodes, tiers] = await Promise.all([
          client.reasonCodes.list(),
          client.tiers.list(),
        ]);
        return { reasonCodes, tiersAsking: tiers.filter((t) => t.reasonCode).map((t) => t.tier) };
      },
    );

    app.post(
      '/api/reason-codes',
      {
        config: { access: 'custodian' },
        schema: {
          summary: 'Add a reason code',
          body: NewCode,
          response: { 201: Type.Object({ code: Type.String() }) },
        },
      },
      async (request, reply) => {
        const { code, description } = request.body as Static<typeof NewCode>;
        await signedInClient(clientFor, request).reasonCodes.add(code, description);
        return reply.code(201).send({ code });
      },
    );

    app.delete(
      '/api/reason-codes/:code',
      {
        config: { access: 'custodian' },
        schema: {
          summary: 'Remove a reason code',
          description:
            'With none left, a tier that asks for a reason code takes any code of 1 to 6 digits.',
          params: CodeParams,
          response: { 200: Type.Object({ removed: Type.Literal(true) }) },
        },
      },
      async (request) => {
        const { code } = request.params as Static<typeof CodeParams>;
        await signedInClient(clientFor, request).reasonCodes.remove(code);
        return { removed: true as const };
      },
    );
  };
