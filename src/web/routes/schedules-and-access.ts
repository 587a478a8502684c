import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { CustodianClient } from '../../app/custodian-client.js';
import { MAX_GRANTS_PAGE, type GrantSpec } from '../../app/policy-operations.js';
import { clockMinute } from '../../app/values.js';
import { KeywardenError } from '../../errors.js';
import type { WebModule } from '../create-web-server.js';
import type { ClientFor } from '../web-context.js';
import { signedInClient } from './signed-in-client.js';

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
const Maybe = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(schema: T) =>
  Type.Union([schema, Type.Null()]);
/** An instant with its zone, as the API's strict parser takes it (checked again by the app). */
const Instant = Type.String({ minLength: 1, maxLength: 40 });
/** `HH:MM`; read (and its range checked, 24:00 only as an end) by the app's clock reader. */
const Clock = Type.String({ minLength: 1, maxLength: 5 });
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const Day = Type.Unsafe<(typeof DAYS)[number]>(Type.Union(DAYS.map((d) => Type.Literal(d))));
/** These bodies are a few short fields: anything larger is refused before it is parsed. */
const BODY_LIMIT = 4096;

const IdParams = Type.Object({ id: Id });
const PermissionParams = Type.Object({ holderId: Id, slot: Id });

const NewSchedule = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const NewWindow = Type.Object(
  { day: Day, from: Clock, until: Clock },
  { additionalProperties: false },
);
const NewException = Type.Object(
  {
    date: Type.String({ minLength: 1, maxLength: 10 }),
    kind: Type.Union([Type.Literal('closed'), Type.Literal('open')]),
    from: Type.Optional(Clock),
    until: Type.Optional(Clock),
  },
  { additionalProperties: false },
);

const ScheduleSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  windows: Type.Array(
    Type.Object({ id: Type.Integer(), day: Type.String(), hours: Type.String() }),
  ),
  exceptions: Type.Array(
    Type.Object({
      id: Type.Integer(),
      date: Type.String(),
      kind: Type.String(),
      hours: Maybe(Type.String()),
    }),
  ),
  /** How many grants use it: while any does, it cannot be removed. */
  usedBy: Type.Integer(),
});

const NewEntry = Type.Object(
  {
    holderId: Type.Optional(Id),
    groupId: Type.Optional(Id),
    keyId: Type.Optional(Id),
    keySetId: Type.Optional(Id),
    scheduleId: Type.Optional(Type.Union([Id, Type.Null()])),
    validFrom: Type.Optional(Type.Union([Instant, Type.Null()])),
    validUntil: Type.Optional(Type.Union([Instant, Type.Null()])),
  },
  { additionalProperties: false },
);

const Named = Type.Object({ id: Type.Integer(), name: Type.String() });
const EntrySchema = Type.Object({
  /** `permission`: a person's own on one key; `grant`: a group's, a key set's or scheduled. */
  kind: Type.Union([Type.Literal('permission'), Type.Literal('grant')]),
  id: Type.Integer(),
  holder: Type.Union([Named, Type.Null()]),
  group: Type.Union([Named, Type.Null()]),
  /** The key living in the slot (null when the slot is empty), and the slot. */
  key: Type.Union([
    Type.Object({
      slot: Type.Integer(),
      keyId: Maybe(Type.Integer()),
      label: Maybe(Type.String()),
    }),
    Type.Null(),
  ]),
  keySet: Type.Union([Named, Type.Null()]),
  schedule: Type.Union([Named, Type.Null()]),
  validFrom: Maybe(Type.String()),
  validUntil: Maybe(Type.String()),
  /** `current` applies now (the schedule aside); `future` starts later. Ended ones are not listed. */
  when: Type.Union([Type.Literal('current'), Type.Literal('future')]),
});
const EntriesQuery = Type.Object(
  {
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: MAX_GRANTS_PAGE, default: 50 }),
  },
  { additionalProperties: false },
);

const Choices = Type.Object({
  groups: Type.Array(Named),
  keySets: Type.Array(Named),
  keys: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String(), slot: Type.Integer() })),
  schedules: Type.Array(Named),
});

function usage(message: string): KeywardenError {
  return new KeywardenError('USAGE', `${message}; nothing was changed`);
}

/** `HH:MM` from the body as local minutes, the error naming the body's field. */
function minuteOf(value: string, field: string, end: boolean): number {
  return clockMinute(value, `body/${field}`, end);
}

/** The body's from–until as a same-day range; an overnight window is two, one each side. */
function rangeOf(from: string, until: string): { start: number; end: number } {
  const start = minuteOf(from, 'from', false);
  const end = minuteOf(until, 'until', true);
  if (end <= start) {
    throw usage(
      `body/until (${until}) must be after body/from (${from}) on the same day: a window ends by midnight (24:00), so overnight access is two windows, one until 24:00 and one from 00:00 the next day`,
    );
  }
  return { start, end };
}

/** The key's home slot, which a permission is on: the key must exist and have one. */
async function slotOfKey(client: CustodianClient, keyId: number): Promise<number> {
  const key = (await client.keys.list()).find((k) => k.id === keyId);
  if (!key) throw new KeywardenError('NOT_FOUND', `no key ${keyId}; nothing was changed`);
  if (key.homeSlot === null) {
    throw usage(`body/keyId: key ${key.label} has no home slot, so it cannot be permitted`);
  }
  return key.homeSlot;
}

/** Said beside a grant that was made but cannot be used yet: the person's access has stopped. */
async function holderWarning(client: CustodianClient, holderId: number): Promise<string | null> {
  const holder = await client.holders.show(holderId);
  if (!holder.enabled) {
    return `${holder.name} is disabled: this applies only once they are enabled again`;
  }
  if (holder.validUntil !== null && Date.parse(holder.validUntil) <= Date.now()) {
    return `${holder.name}'s access ended at ${holder.validUntil}: this applies only if their validity is extended`;
  }
  return null;
}

type Entry = Static<typeof EntrySchema>;

/** The entries not yet ended, by name, a page at a time. */
async function entriesPage(
  client: CustodianClient,
  page: Static<typeof EntriesQuery>,
): Promise<{ entries: Entry[]; total: number }> {
  const [{ rows, total }, keys, groups, keySets, schedules] = await Promise.all([
    client.grants.inForce(page),
    client.keys.list(),
    client.groups.list(),
    client.keySets.list(),
    client.schedules.list(),
  ]);
  const now = Date.now();
  const holderIds = [...new Set(rows.flatMap((r) => (r.holderId === null ? [] : [r.holderId])))];
  // Only this page's holders are looked up: a cabinet may have 100,000 of them.
  const holders = new Map(
    await Promise.all(
      holderIds.map(async (id) => [id, (await client.holders.show(id)).name] as const),
    ),
  );
  const nameIn = (list: ReadonlyArray<{ id: number; name: string }>, id: number | null) =>
    id === null ? null : { id, name: list.find((x) => x.id === id)?.name ?? `#${id}` };
  const keyIn = (slot: number | null) => {
    if (slot === null) return null;
    const key = keys.find((k) => k.homeSlot === slot);
    return { slot, keyId: key?.id ?? null, label: key?.label ?? null };
  };
  return {
    total,
    entries: rows.map((r) => ({
      kind: r.kind,
      id: r.id,
      holder:
        r.holderId === null
          ? null
          : { id: r.holderId, name: holders.get(r.holderId) ?? `#${r.holderId}` },
      group: nameIn(groups, r.groupId),
      key: keyIn(r.slot),
      keySet: nameIn(keySets, r.keySetId),
      schedule: nameIn(schedules, r.scheduleId),
      validFrom: r.validFrom,
      validUntil: r.validUntil,
      when: r.validFrom !== null && Date.parse(r.validFrom) > now ? 'future' : 'current',
    })),
  };
}

const client = (clientFor: ClientFor, request: FastifyRequest) =>
  signedInClient(clientFor, request);

/**
 * The console's schedules, permissions and grants: weekly schedules with their windows and
 * dated exceptions (added, a schedule removed), and who may take which key or key set, when
 * (granted, listed by name while they last, revoked). Every change is the application layer's,
 * recorded under the signed-in user; viewers read, custodians change.
 */
export const schedulesAndAccessModule =
  (clientFor: ClientFor): WebModule =>
  (app) => {
    app.get(
      '/api/schedules',
      {
        config: { access: 'viewer' },
        schema: {
          summary:
            'The weekly schedules, their windows and exceptions, and how many grants use each',
          response: { 200: Type.Object({ schedules: Type.Array(ScheduleSchema) }) },
        },
      },
      async (request) => {
        const c = client(clientFor, request);
        const [schedules, usage] = await Promise.all([c.schedules.list(), c.schedules.usage()]);
        const used = new Map(usage.map((u) => [u.scheduleId, u.grants]));
        return { schedules: schedules.map((s) => ({ ...s, usedBy: used.get(s.id) ?? 0 })) };
      },
    );

    app.post(
      '/api/schedules',
      {
        config: { access: 'custodian' },
        bodyLimit: BODY_LIMIT,
        schema: {
          summary: 'Add a weekly schedule (closed until it has windows)',
          body: NewSchedule,
          response: { 200: Type.Object({ id: Type.Integer() }) },
        },
      },
      async (request) => {
        const { name } = request.body as Static<typeof NewSchedule>;
        return { id: await client(clientFor, request).schedules.add(name) };
      },
    );

    app.post(
      '/api/schedules/:id/windows',
      {
        config: { access: 'custodian' },
        bodyLimit: BODY_LIMIT,
        schema: {
          summary: 'Add a weekly window: a day, from and until in cabinet time, by midnight',
          params: IdParams,
          body: NewWindow,
          response: { 200: Type.Object({ id: Type.Integer() }) },
        },
      },
      async (request) => {
        const { id } = request.params as Static<typeof IdParams>;
        const { day, from, until } = request.body as Static<typeof NewWindow>;
        const range = rangeOf(from, until);
        const windowId = await client(clientFor, request).schedules.addWindow(
          id,
          DAYS.indexOf(day) + 1,
          range,
        );
        return { id: windowId };
      },
    );

    app.post(
      '/api/schedules/:id/exceptions',
      {
        config: { access: 'custodian' },
        bodyLimit: BODY_LIMIT,
        schema: {
          summary: 'Add a dated exception: closed (all day or some hours) or open (extra hours)',
          params: IdParams,
          body: NewException,
          response: { 200: Type.Object({ id: Type.Integer() }) },
        },
      },
      async (request) => {
        const { id } = request.params as Static<typeof IdParams>;
        const { date, kind, from, until } = request.body as Static<typeof NewException>;
        if ((from === undefined) !== (until === undefined)) {
          throw usage('give both body/from and body/until, or neither (the whole day)');
        }
        const range = from === undefined || until === undefined ? null : rangeOf(from, until);
        const c = client(clientFor, request);
        return { id: await c.schedules.addException(id, date, kind, range) };
      },
    );

    app.delete(
      '/api/schedules/:id',
      {
        config: { access: 'custodian' },
        schema: {
          summary: 'Remove a schedule, its windows and exceptions (refused while a grant uses it)',
          params: IdParams,
          response: { 200: Type.Object({ removed: Type.Boolean() }) },
        },
      },
      async (request) => {
        const { id } = request.params as Static<typeof IdParams>;
        await client(clientFor, request).schedules.remove(id);
        return { removed: true };
      },
    );

    app.get(
      '/api/access/choices',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'The groups, key sets, keys (with a slot) and schedules a grant may name',
          response: { 200: Choices },
        },
      },
      async (request) => {
        const c = client(clientFor, request);
        const [groups, keySets, keys, schedules] = await Promise.all([
          c.groups.list(),
          c.keySets.list(),
          c.keys.list(),
          c.schedules.list(),
        ]);
        return {
          groups: groups.map((g) => ({ id: g.id, name: g.name })),
          keySets: keySets.map((s) => ({ id: s.id, name: s.name })),
          keys: keys.flatMap((k) =>
            k.homeSlot === null ? [] : [{ id: k.id, label: k.label, slot: k.homeSlot }],
          ),
          schedules: schedules.map((s) => ({ id: s.id, name: s.name })),
        };
      },
    );

    app.get(
      '/api/access',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'Permissions and grants in force or still to come, by name, a page at a time',
          querystring: EntriesQuery,
          response: {
            200: Type.Object({ entries: Type.Array(EntrySchema), total: Type.Integer() }),
          },
        },
      },
      (request) =>
        entriesPage(client(clientFor, request), request.query as Static<typeof EntriesQuery>),
    );

    app.post(
      '/api/access',
      {
        config: { access: 'custodian' },
        bodyLimit: BODY_LIMIT,
        schema: {
          summary:
            'Let a person or a group take a key or a key set: at any time or on a schedule, from–until',
          body: NewEntry,
          response: {
            200: Type.Object({
              kind: Type.Union([Type.Literal('permission'), Type.Literal('grant')]),
              id: Type.Integer(),
              outcome: Type.String(),
              /** Made, but not usable yet: the person is disabled or their access has ended. */
              warning: Maybe(Type.String()),
            }),
          },
        },
      },
      async (request) => {
        const body = request.body as Static<typeof NewEntry>;
        if ((body.holderId === undefined) === (body.groupId === undefined)) {
          throw usage('give exactly one of body/holderId and body/groupId');
        }
        if ((body.keyId === undefined) === (body.keySetId === undefined)) {
          throw usage('give exactly one of body/keyId and body/keySetId');
        }
        const { validFrom, validUntil } = body;
        if (validFrom && validUntil && Date.parse(validUntil) <= Date.parse(validFrom)) {
          throw usage(
            `body/validUntil (${validUntil}) must be after body/validFrom (${validFrom})`,
          );
        }
        const c = client(clientFor, request);
        const spec: GrantSpec = {};
        if (body.holderId !== undefined) spec.holderId = body.holderId;
        if (body.groupId !== undefined) spec.groupId = body.groupId;
        if (body.keyId !== undefined) spec.slot = await slotOfKey(c, body.keyId);
        if (body.keySetId !== undefined) spec.keySetId = body.keySetId;
        if (body.scheduleId !== undefined && body.scheduleId !== null) {
          spec.scheduleId = body.scheduleId;
        }
        if (body.validFrom !== undefined && body.validFrom !== null)
          spec.validFrom = body.validFrom;
        if (body.validUntil !== undefined && body.validUntil !== null) {
          spec.validUntil = body.validUntil;
        }
        // Asked before the change, so a failure here leaves nothing half told.
        const warning = spec.holderId === undefined ? null : await holderWarning(c, spec.holderId);
        const result = await c.grants.add(spec);
        return { ...result, warning };
      },
    );

    app.delete(
      '/api/access/grant/:id',
      {
        config: { access: 'custodian' },
        schema: {
          summary: 'Revoke a grant by its id',
          params: IdParams,
          response: { 200: Type.Object({ revoked: Type.Boolean() }) },
        },
      },
      async (request) => {
        const { id } = request.params as Static<typeof IdParams>;
        await client(clientFor, request).grants.revoke(id);
        return { revoked: true };
      },
    );

    app.delete(
      '/api/access/permission/:holderId/:slot',
      {
        config: { access: 'custodian' },
        schema: {
          summary: "Revoke a person's own permission on a slot (false: there was none)",
          params: PermissionParams,
          response: { 200: Type.Object({ revoked: Type.Boolean() }) },
        },
      },
      async (request) => {
        // By person and slot, as on the command line: a person has one permission per slot.
        const { holderId, slot } = request.params as Static<typeof PermissionParams>;
        return { revoked: await client(clientFor, request).permissions.revoke(holderId, slot) };
      },
    );
  };
