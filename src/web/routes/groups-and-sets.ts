import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { CustodianClient } from '../../app/custodian-client.js';
import { quoted } from '../../domain/values/free-text.js';
import { KeywardenError } from '../../errors.js';
import type { WebModule } from '../create-web-server.js';
import type { ClientFor } from '../web-context.js';
import { signedInClient } from './signed-in-client.js';

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
/** A group's or key set's name; the application layer checks it again (characters, blanks). */
const Name = Type.String({ minLength: 1, maxLength: 200 });
const LoanLimit = Type.Union([Type.Integer({ minimum: 1, maximum: 525_600 }), Type.Null()]);

const IdParams = Type.Object({ id: Id });
const MemberParams = Type.Object({ id: Id, holderId: Id });
const SetKeyParams = Type.Object({ id: Id, keyId: Id });

const NewGroup = Type.Object(
  { name: Name, maxLoanMinutes: Type.Optional(LoanLimit) },
  { additionalProperties: false },
);
const GroupPatch = Type.Object(
  { name: Type.Optional(Name), maxLoanMinutes: Type.Optional(LoanLimit) },
  { additionalProperties: false, minProperties: 1 },
);
const NewMember = Type.Object({ holderId: Id }, { additionalProperties: false });
const NamedSet = Type.Object({ name: Name }, { additionalProperties: false });
/** A key by its label, as people know it (labels need not be unique: see keyByLabel). */
const KeyByLabel = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const Added = Type.Object({ id: Type.Integer() });
const Changed = Type.Object({ changed: Type.Boolean() });
const Removed = Type.Object({ removed: Type.Literal(true) });

const GroupsAnswer = Type.Object({
  groups: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      maxLoanMinutes: Type.Union([Type.Integer(), Type.Null()]),
      /** A count, not the members: a group may hold every one of 100,000 holders. */
      members: Type.Integer(),
      /** The tiers whose further authorisers must come from this group. */
      authorisesTiers: Type.Array(Type.String()),
    }),
  ),
});
const KeySetsAnswer = Type.Object({
  keySets: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      keys: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String() })),
    }),
  ),
});

const params = <T extends TSchema>(request: FastifyRequest, _schema: T) =>
  request.params as Static<T>;
const body = <T extends TSchema>(request: FastifyRequest, _schema: T) => request.body as Static<T>;

/**
 * The one key a label names. Labels are the names people use but are not unique: two keys of
 * one label are refused by name rather than one of them picked.
 */
async function keyByLabel(client: CustodianClient, label: string): Promise<number> {
  const wanted = label.trim();
  const found = (await client.keys.list()).filter((k) => k.label === wanted);
  const [only] = found;
  if (only === undefined || found.length > 1) {
    throw new KeywardenError(
      'USAGE',
      found.length === 0
        ? `body/label: no key is labelled ${quoted(label)}; nothing was changed`
        : `body/label: ${found.length} keys are labelled ${quoted(label)} (ids ${found.map((k) => k.id).join(', ')}); relabel one first; nothing was changed`,
    );
  }
  return only.id;
}

/**
 * The console's groups and key sets: list, add, rename, remove (the application layer refuses
 * to remove one that a grant or a tier rule names), members by holder, keys by label. Reads for
 * any signed-in user, changes for custodians; each change is an audited event in the user's name.
 */
export const groupsAndSetsModule =
  (clientFor: ClientFor): WebModule =>
  (app) => {
    const client = (request: FastifyRequest) => signedInClient(clientFor, request);
    const viewer = { access: 'viewer' } as const;
    const custodian = { access: 'custodian' } as const;

    app.get(
      '/api/groups',
      {
        config: viewer,
        schema: {
          summary: 'The groups, with how many members each has and the tiers it authorises',
          response: { 200: GroupsAnswer },
        },
      },
      async (request) => {
        const c = client(request);
        const [groups, tiers] = await Promise.all([c.groups.list(), c.tiers.list()]);
        return {
          groups: groups.map((g) => ({
            id: g.id,
            name: g.name,
            maxLoanMinutes: g.maxLoanMinutes,
            members: g.members.length,
            authorisesTiers: tiers.filter((t) => t.authoriserGroupId === g.id).map((t) => t.tier),
          })),
        };
      },
    );

    app.post(
      '/api/groups',
      {
        config: custodian,
        schema: { summary: 'Add a group', body: NewGroup, response: { 201: Added } },
      },
      async (request, reply) => {
        const { name, maxLoanMinutes } = body(request, NewGroup);
        const id = await client(request).groups.add(name, maxLoanMinutes ?? null);
        return reply.code(201).send({ id });
      },
    );

    app.patch(
      '/api/groups/:id',
      {
        config: custodian,
        schema: {
          summary: 'Rename a group or change its loan limit',
          params: IdParams,
          body: GroupPatch,
          response: { 200: Changed },
        },
      },
      async (request) => {
        const { id } = params(request, IdParams);
        return { changed: await client(request).groups.update(id, body(request, GroupPatch)) };
      },
    );

    app.delete(
      '/api/groups/:id',
      {
        config: custodian,
        schema: {
          summary: 'Remove a group (refused while a grant or a tier rule names it)',
          description: 'Its members stay holders; only their membership of the group ends.',
          params: IdParams,
          response: { 200: Removed },
        },
      },
      async (request) => {
        await client(request).groups.remove(params(request, IdParams).id);
        return { removed: true as const };
      },
    );

    app.post(
      '/api/groups/:id/members',
      {
        config: custodian,
        schema: {
          summary: 'Put a holder in a group',
          params: IdParams,
          body: NewMember,
          response: { 200: Changed },
        },
      },
      async (request) => {
        const { id } = params(request, IdParams);
        const { holderId } = body(request, NewMember);
        return { changed: await client(request).groups.addMember(id, holderId) };
      },
    );

    app.delete(
      '/api/groups/:id/members/:holderId',
      {
        config: custodian,
        schema: {
          summary: 'Take a holder out of a group',
          params: MemberParams,
          response: { 200: Changed },
        },
      },
      async (request) => {
        const { id, holderId } = params(request, MemberParams);
        return { changed: await client(request).groups.removeMember(id, holderId) };
      },
    );

    app.get(
      '/api/key-sets',
      {
        config: viewer,
        schema: {
          summary: 'The key sets with their keys by label',
          response: { 200: KeySetsAnswer },
        },
      },
      async (request) => {
        const c = client(request);
        const [sets, keys] = await Promise.all([c.keySets.list(), c.keys.list()]);
        const labels = new Map(keys.map((k) => [k.id, k.label]));
        return {
          keySets: sets.map((s) => ({
            id: s.id,
            name: s.name,
            keys: s.keys.map((id) => ({ id, label: labels.get(id) ?? `key ${id}` })),
          })),
        };
      },
    );

    app.post(
      '/api/key-sets',
      {
        config: custodian,
        schema: { summary: 'Add a key set', body: NamedSet, response: { 201: Added } },
      },
      async (request, reply) => {
        const id = await client(request).keySets.add(body(request, NamedSet).name);
        return reply.code(201).send({ id });
      },
    );

    app.patch(
      '/api/key-sets/:id',
      {
        config: custodian,
        schema: {
          summary: 'Rename a key set',
          params: IdParams,
          body: NamedSet,
          response: { 200: Changed },
        },
      },
      async (request) => {
        const { id } = params(request, IdParams);
        return { changed: await client(request).keySets.rename(id, body(request, NamedSet).name) };
      },
    );

    app.delete(
      '/api/key-sets/:id',
      {
        config: custodian,
        schema: {
          summary: 'Remove a key set (refused while a grant names it)',
          description: 'Its keys stay; only their place in the set ends.',
          params: IdParams,
          response: { 200: Removed },
        },
      },
      async (request) => {
        await client(request).keySets.remove(params(request, IdParams).id);
        return { removed: true as const };
      },
    );

    app.post(
      '/api/key-sets/:id/keys',
      {
        config: custodian,
        schema: {
          summary: 'Put a key, named by its label, in a key set',
          params: IdParams,
          body: KeyByLabel,
          response: { 200: Changed },
        },
      },
      async (request) => {
        const { id } = params(request, IdParams);
        const c = client(request);
        const keyId = await keyByLabel(c, body(request, KeyByLabel).label);
        return { changed: await c.keySets.addKey(id, keyId) };
      },
    );

    app.delete(
      '/api/key-sets/:id/keys/:keyId',
      {
        config: custodian,
        schema: {
          summary: 'Take a key out of a key set',
          params: SetKeyParams,
          response: { 200: Changed },
        },
      },
      async (request) => {
        const { id, keyId } = params(request, SetKeyParams);
        return { changed: await client(request).keySets.removeKey(id, keyId) };
      },
    );
  };
