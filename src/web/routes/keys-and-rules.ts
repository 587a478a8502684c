import { Type, type Static } from '@sinclair/typebox';
import { KEY_STATES, KEY_TIERS } from '../../domain/values/key-kinds.js';
import { MAX_MATRIX_PAGE } from '../../app/record-queries.js';
import type { WebModule } from '../create-web-server.js';
import type { ClientFor } from '../web-context.js';
import { policySettings, PolicySettingSchema, type PolicyValues } from './policy-settings.js';
import { signedInClient } from './signed-in-client.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Nullable(Type.String());
/** One of a fixed list of words, typed as that list's union. */
const Words = <const W extends readonly string[]>(words: W) =>
  Type.Unsafe<W[number]>(Type.Union(words.map((w) => Type.Literal(w))));

const KeySchema = Type.Object({
  id: Type.Integer(),
  label: Type.String(),
  tag: NullableString,
  homeSlot: NullableInt,
  state: Words(KEY_STATES),
  tier: Type.Union([Words(KEY_TIERS), Type.Null()]),
  maxLoanMinutes: NullableInt,
  curfewMinute: NullableInt,
  returnPolicy: Type.String(),
  /** Who has it now, by name. */
  outWith: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
});

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const StateBody = Type.Object(
  {
    state: Words(KEY_STATES),
    reason: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
const Changed = Type.Object({ changed: Type.Boolean() });

const TierRuleSchema = Type.Object({
  tier: Words(KEY_TIERS),
  authorisers: Type.Integer(),
  authoriserGroupId: NullableInt,
  pin: Type.Boolean(),
  maxLoanMinutes: NullableInt,
  reasonCode: Type.Boolean(),
});
const TierParams = Type.Object({ tier: Words(KEY_TIERS) });
const TierBody = Type.Object(
  {
    authorisers: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 })),
    authoriserGroupId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    pin: Type.Optional(Type.Boolean()),
    maxLoanMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    reasonCode: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

const RulesSchema = Type.Object({
  tiers: Type.Array(TierRuleSchema),
  groups: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      maxLoanMinutes: NullableInt,
      members: Type.Integer(),
    }),
  ),
  keySets: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      keys: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String() })),
    }),
  ),
  schedules: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      windows: Type.Array(
        Type.Object({ id: Type.Integer(), day: Type.String(), hours: Type.String() }),
      ),
      exceptions: Type.Array(
        Type.Object({
          id: Type.Integer(),
          date: Type.String(),
          kind: Words(['closed', 'open']),
          hours: NullableString,
        }),
      ),
    }),
  ),
  reasonCodes: Type.Array(Type.Object({ code: Type.String(), description: Type.String() })),
  /** The config file's policy section: read-only here (the file owns it). */
  policy: Type.Array(PolicySettingSchema),
});

const MatrixQuery = Type.Object(
  {
    offset: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: MAX_MATRIX_PAGE, default: 50 }),
  },
  { additionalProperties: false },
);
const MatrixSchema = Type.Object({
  holders: Type.Array(
    Type.Object({ id: Type.Integer(), name: Type.String(), enabled: Type.Boolean() }),
  ),
  total: Type.Integer(),
  slots: Type.Array(
    Type.Object({ slot: Type.Integer(), keyId: NullableInt, keyLabel: NullableString }),
  ),
  cells: Type.Array(
    Type.Object({
      holderId: Type.Integer(),
      slot: Type.Integer(),
      via: Type.String(),
      schedule: NullableString,
      validUntil: NullableString,
    }),
  ),
});

export type KeyView = Static<typeof KeySchema>;

/**
 * The console's keys and rules: the keys and their states (a state changed with a reason),
 * tiers and what they require (an administrator's to change), groups, key sets, schedules,
 * reason codes, the access matrix a page of holders at a time, and the config's policy values.
 */
export const keysAndRulesModule =
  (clientFor: ClientFor, options: { policy: PolicyValues }): WebModule =>
  (app) => {
    app.get(
      '/api/keys',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'The keys, their states and who has each one out',
          response: { 200: Type.Object({ keys: Type.Array(KeySchema) }) },
        },
      },
      async (request) => {
        const client = signedInClient(clientFor, request);
        const [keys, out] = await Promise.all([client.keys.list(), client.keys.out()]);
        const holderOf = new Map(out.map((o) => [o.keyId, { id: o.holderId, name: o.holderName }]));
        return { keys: keys.map((k) => ({ ...k, outWith: holderOf.get(k.id) ?? null })) };
      },
    );

    app.post(
      '/api/keys/:id/state',
      {
        config: { access: 'custodian' },
        schema: {
          summary: 'Mark a key lost, stolen, retired or active again, with the reason',
          params: IdParams,
          body: StateBody,
          response: { 200: Changed },
        },
      },
      async (request) => {
        const { id } = request.params as Static<typeof IdParams>;
        const { state, reason } = request.body as Static<typeof StateBody>;
        const changed = await signedInClient(clientFor, request).keys.setState(id, state, reason);
        return { changed };
      },
    );

    app.get(
      '/api/rules',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'Tiers, groups, key sets, schedules, reason codes and the policy settings',
          response: { 200: RulesSchema },
        },
      },
      async (request) => {
        const client = signedInClient(clientFor, request);
        const [tiers, groups, keySets, schedules, reasonCodes, keys] = await Promise.all([
          client.tiers.list(),
          client.groups.list(),
          client.keySets.list(),
          client.schedules.list(),
          client.reasonCodes.list(),
          client.keys.list(),
        ]);
        const labels = new Map(keys.map((k) => [k.id, k.label]));
        return {
          tiers,
          // A count, not the members: a group may hold every one of 100,000 holders.
          groups: groups.map((g) => ({ ...g, members: g.members.length })),
          keySets: keySets.map((s) => ({
            id: s.id,
            name: s.name,
            keys: s.keys.map((id) => ({ id, label: labels.get(id) ?? `key ${id}` })),
          })),
          schedules,
          reasonCodes,
          policy: policySettings(options.policy),
        };
      },
    );

    app.put(
      '/api/tiers/:tier',
      {
        // What releasing a key asks for is an administrator's decision (as on the command line).
        config: { access: 'admin' },
        schema: {
          summary: "Change what a tier's keys require",
          params: TierParams,
          body: TierBody,
          response: { 200: Changed },
        },
      },
      async (request) => {
        const { tier } = request.params as Static<typeof TierParams>;
        const patch = request.body as Static<typeof TierBody>;
        const changed = await signedInClient(clientFor, request).tiers.set(tier, patch);
        return { changed };
      },
    );

    app.get(
      '/api/access-matrix',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'Who may take which key, for a page of holders',
          querystring: MatrixQuery,
          response: { 200: MatrixSchema },
        },
      },
      async (request) => {
        const page = request.query as Static<typeof MatrixQuery>;
        return signedInClient(clientFor, request).records.accessMatrixPage(page);
      },
    );
  };
