import { Type, type Static } from '@sinclair/typebox';
import type { CustodianClient } from '../../app/custodian-client.js';
import type { FoundEvent } from '../../app/record-queries.js';
import { isKeywardenError } from '../../errors.js';

const NameMap = Type.Record(Type.String(), Type.String());
/** The names of the ids a page of events mentions, by kind and id: `{holders: {"7": "Ana"}}`. */
export const EventNamesSchema = Type.Object({
  holders: NameMap,
  keys: NameMap,
  groups: NameMap,
  keySets: NameMap,
  schedules: NameMap,
});
export type EventNames = Static<typeof EventNamesSchema>;
type Kind = keyof EventNames;

/**
 * The most holders one page looks up by id (one call each): a removed group's members or a
 * lockdown's allowed people could name thousands; past this the page says "person 123".
 */
const MAX_HOLDER_LOOKUPS = 100;

/** Fields whose number is an id of a kind, wherever they appear in an event's data. */
const ID_FIELDS: Record<string, Kind> = {
  holderId: 'holders',
  authoriserId: 'holders',
  returnedBy: 'holders',
  keyId: 'keys',
  foundKeyId: 'keys',
  groupId: 'groups',
  keySetId: 'keySets',
  scheduleId: 'schedules',
};
/** Fields holding a list of ids of a kind. */
const ID_LIST_FIELDS: Record<string, Kind> = {
  keys: 'keys',
  keyIds: 'keys',
  authorisers: 'holders',
  allowHolders: 'holders',
  allowGroups: 'groups',
};
/** policy.changed: the kind its `id` is, for the entities with a name. */
const ENTITY_KIND: Record<string, Kind> = {
  holder: 'holders',
  key: 'keys',
  group: 'groups',
  key_set: 'keySets',
  schedule: 'schedules',
};
/** policy.changed of a membership: `id` is "<first>:<second>", each an id of a kind. */
const PAIR_KINDS: Record<string, [Kind, Kind | null]> = {
  group_member: ['groups', 'holders'],
  key_set_member: ['keySets', 'keys'],
  schedule_window: ['schedules', null],
  schedule_exception: ['schedules', null],
};

/** Every id a page of events mentions, by kind. */
function mentionedIds(events: readonly FoundEvent[]): Record<Kind, Set<number>> {
  const ids: Record<Kind, Set<number>> = {
    holders: new Set(),
    keys: new Set(),
    groups: new Set(),
    keySets: new Set(),
    schedules: new Set(),
  };
  const walk = (fields: unknown) => {
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return;
    for (const [name, value] of Object.entries(fields)) {
      const kind = ID_FIELDS[name];
      if (kind && typeof value === 'number') ids[kind].add(value);
      const listKind = ID_LIST_FIELDS[name];
      if (listKind && Array.isArray(value)) {
        for (const item of value) if (typeof item === 'number') ids[listKind].add(item);
      }
    }
  };
  for (const { event } of events) {
    const data = event.data as Record<string, unknown>;
    walk(data);
    if (event.type !== 'policy.changed') continue;
    walk(data.before);
    walk(data.after);
    const entity = String(data.entity);
    const id = String(data.id);
    const kind = ENTITY_KIND[entity];
    if (kind && /^\d+$/.test(id)) ids[kind].add(Number(id));
    const pair = PAIR_KINDS[entity];
    const match = /^(\d+):(\d+)$/.exec(id);
    if (pair && match) {
      ids[pair[0]].add(Number(match[1]));
      if (pair[1]) ids[pair[1]].add(Number(match[2]));
    }
  }
  return ids;
}

/**
 * The names a page of events needs, so the page can say "group Night crew" rather than
 * "groupId=3". Keys, groups, key sets and schedules are few on any cabinet and read whole, and
 * only when the page mentions one; holders may be 100,000, so only those mentioned are read,
 * one by one, those the log's own join named already skipped.
 */
export async function eventNames(
  client: CustodianClient,
  events: readonly FoundEvent[],
): Promise<EventNames> {
  const ids = mentionedIds(events);
  const names: EventNames = { holders: {}, keys: {}, groups: {}, keySets: {}, schedules: {} };
  for (const { event, holderName, keyLabel } of events) {
    const data = event.data as Record<string, unknown>;
    if (holderName !== null && typeof data.holderId === 'number') {
      names.holders[data.holderId] = holderName;
    }
    if (keyLabel !== null && typeof data.keyId === 'number') names.keys[data.keyId] = keyLabel;
  }
  const fromList = async (
    kind: Kind,
    list: () => Promise<ReadonlyArray<{ id: number; name?: string; label?: string }>>,
  ) => {
    if ([...ids[kind]].every((id) => names[kind][id] !== undefined)) return;
    for (const row of await list()) {
      const name = row.name ?? row.label;
      if (ids[kind].has(row.id) && name !== undefined) names[kind][row.id] = name;
    }
  };
  await fromList('keys', () => client.keys.list());
  await fromList('groups', () => client.groups.list());
  await fromList('keySets', () => client.keySets.list());
  await fromList('schedules', () => client.schedules.list());
  const unnamed = [...ids.holders].filter((id) => names.holders[id] === undefined);
  await Promise.all(
    unnamed.slice(0, MAX_HOLDER_LOOKUPS).map(async (id) => {
      try {
        names.holders[id] = (await client.holders.show(id)).name;
      } catch (error) {
        // A holder the log names but the records no longer have: shown by number.
        if (!isKeywardenError(error, 'NOT_FOUND')) throw error;
      }
    }),
  );
  return names;
}
