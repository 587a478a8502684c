import { describe, expect, it } from 'vitest';
import type { CommandReply } from '../../src/contract/command-reply.js';
import { loadSchema, MESSAGE_KINDS, type MessageKind } from '../../src/contract/schemas.js';
import { COMMAND_NAMES, type SignedCommand } from '../../src/contract/signed-command.js';
import type {
  InventoryKeyOut,
  InventoryPayload,
  InventorySlot,
} from '../../src/daemon/inventory.js';
import type { BadgeDenialReason } from '../../src/domain/denial-reason.js';
import type { ActiveAlarm, AlarmType } from '../../src/domain/cabinet-state.js';
import type {
  Actor,
  ChangeCounts,
  CommandRejection,
  EventType,
  NewEvent,
  OutstandingKey,
  PolicyEntity,
  RecordedEvent,
  SyncCounts,
} from '../../src/domain/events.js';
import type { StatusPayload } from '../../src/mqtt/status.js';

/**
 * The schemas in docs/schemas against the TypeScript types the code publishes. The tables
 * below are checked by the compiler against the types (a field added, removed, made optional
 * or nullable in TypeScript does not compile until the table says so), and by this test
 * against the schemas: so a type cannot change without its schema, nor the other way round.
 */

// --- Field tables, exact by construction ---------------------------------------------------

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;
/** Per field: `true`, or `'nullable'` where the type admits null. */
type Mark<V> = null extends V ? 'nullable' : true;
type Fields<T> = {
  required: { [K in RequiredKeys<T> & string]: Mark<T[K]> };
  optional: { [K in OptionalKeys<T> & string]: Mark<T[K]> };
};
type DataOf<T extends EventType> = Extract<NewEvent, { type: T }>['data'];
type Exactly<U extends string> = { [K in U]: true };

const none = { required: {}, optional: {} };
const OVERDUE = {
  keyId: true,
  keyLabel: true,
  holderId: true,
  holderName: true,
  slot: true,
  outAt: true,
  dueAt: true,
} as const;
const STORAGE_OUTAGE = {
  required: { code: true, since: true, denials: true, denialsDropped: true, inputsLost: true },
  optional: {},
} as const;

const EVENT_DATA: { [T in EventType]: Fields<DataOf<T>> } = {
  'access.granted': {
    required: { holderId: true, holderName: true, slots: true },
    optional: {
      credentialId: true,
      card: true,
      commandId: true,
      reasonCode: true,
      authorisers: true,
      withheld: true,
      takeRefused: true,
    },
  },
  'access.denied': {
    required: { reason: true },
    optional: {
      card: true,
      holderId: true,
      credentialId: true,
      commandId: true,
      occurredAt: true,
      slots: true,
    },
  },
  'key.checked_out': {
    required: {
      keyId: true,
      keyLabel: true,
      holderId: true,
      holderName: true,
      slot: true,
      dueAt: 'nullable',
    },
    optional: {},
  },
  'key.overdue': {
    required: { ...OVERDUE },
    optional: {},
  },
  'key.overdue_reminder': {
    required: { ...OVERDUE, overdueMinutes: true },
    optional: {},
  },
  'key.flagged_return': {
    required: { keyId: true, keyLabel: true, slot: true, state: true },
    optional: {},
  },
  'authorisation.requested': {
    required: {
      holderId: true,
      holderName: true,
      slots: true,
      required: true,
      groupIds: true,
      windowSeconds: true,
    },
    optional: {},
  },
  'authorisation.given': {
    required: { holderId: true, holderName: true, authoriser: true, given: true, required: true },
    optional: {},
  },
  'authorisation.refused': {
    required: { holderId: true, holderName: true, reason: true },
    optional: { authoriserId: true, card: true },
  },
  'authorisation.expired': {
    required: { holderId: true, holderName: true, slots: true, authorisers: true },
    optional: {},
  },
  'alarm.duress': {
    required: { holderId: true, holderName: true, credentialId: true },
    optional: {},
  },
  'pin.locked': {
    required: { credentialId: true, holderId: true, wrongPins: true },
    optional: {},
  },
  'pin.reset': {
    required: { credentialId: true, holderId: true, wrongPins: true },
    optional: { actor: true },
  },
  'validity.expired': {
    required: { kind: true, id: true, holderId: 'nullable', until: true },
    optional: { slot: true },
  },
  'key.checked_in': {
    required: {
      keyId: true,
      keyLabel: true,
      holderId: true,
      holderName: true,
      slot: true,
      outAt: true,
      durationSeconds: true,
      returnedBy: 'nullable',
    },
    optional: {},
  },
  'key.forced': {
    required: { slot: true, keyId: 'nullable', keyLabel: 'nullable' },
    optional: {},
  },
  'key.wrong_slot': {
    required: { keyId: true, keyLabel: true, slot: true, homeSlot: true },
    optional: {},
  },
  'key.unknown_fob': { required: { slot: true, tag: true }, optional: {} },
  'door.forced': none,
  'door.held_open': { required: { heldOpenSeconds: true }, optional: {} },
  'key.swapped': {
    required: { keyId: true, keyLabel: true, slot: true, foundKeyId: true, foundKeyLabel: true },
    optional: {},
  },
  'key.returned_unrecorded': {
    required: {
      keyId: true,
      keyLabel: true,
      holderId: true,
      holderName: true,
      slot: true,
      outAt: true,
    },
    optional: {},
  },
  'key.missing': { required: { keyId: true, keyLabel: true, slot: true }, optional: {} },
  'key.duplicate_fob': {
    required: {
      slot: true,
      otherSlot: true,
      tag: true,
      keyId: 'nullable',
      keyLabel: 'nullable',
    },
    optional: {},
  },
  'reader.card_flood': {
    required: { reader: true, unknownCards: true, windowSeconds: true },
    optional: {},
  },
  'clock.stepped': { required: { from: true, to: true, deltaMs: true }, optional: {} },
  'alarm.cleared': {
    required: { alarm: true, since: true },
    optional: { slot: true, reader: true },
  },
  'reader.offline': { required: { reader: true, reason: true }, optional: {} },
  'reader.online': { required: { reader: true }, optional: {} },
  'reader.tampered': { required: { reader: true, reason: true }, optional: {} },
  'cabinet.tamper': none,
  'power.failed': none,
  'power.restored': none,
  'storage.backlog': { required: { unacknowledged: true, limit: true }, optional: {} },
  'storage.full': STORAGE_OUTAGE,
  'storage.readonly': STORAGE_OUTAGE,
  'storage.corrupt': STORAGE_OUTAGE,
  'storage.failed': STORAGE_OUTAGE,
  'command.accepted': {
    required: { commandId: true, name: true, keyId: true, counter: true },
    optional: {},
  },
  'command.rejected': {
    required: {
      reason: true,
      message: true,
      commandId: 'nullable',
      name: 'nullable',
      keyId: 'nullable',
    },
    optional: { count: true, windowSeconds: true },
  },
  'permissions.synced': {
    required: { commandId: true, version: true, previousVersion: true, counts: true },
    optional: {},
  },
  'emergency.started': {
    required: { source: true },
    optional: { commandId: true, releases: true },
  },
  'emergency.ended': { required: { source: true }, optional: { commandId: true } },
  'lockdown.started': {
    required: { commandId: true, allowHolders: true },
    optional: { allowGroups: true },
  },
  'lockdown.ended': { required: { commandId: true }, optional: {} },
  'cabinet.started': { required: { version: true, profile: true }, optional: {} },
  'cabinet.stopped': { required: { reason: true }, optional: {} },
  'holder.added': { required: { actor: true, holderId: true, name: true }, optional: {} },
  'holder.disabled': {
    required: { actor: true, holderId: true, name: true },
    optional: { outstanding: true },
  },
  'credential.added': {
    required: { actor: true, credentialId: true, holderId: true, card: true },
    optional: {},
  },
  'key.added': {
    required: { actor: true, keyId: true, label: true, tag: true, homeSlot: true },
    optional: {},
  },
  'permission.granted': { required: { actor: true, holderId: true, slot: true }, optional: {} },
  'permission.revoked': { required: { actor: true, holderId: true, slot: true }, optional: {} },
  'lockout.started': {
    required: { subject: true, attempts: true, level: true, durationSeconds: true },
    optional: { credentialId: true, holderId: true },
  },
  'lockout.ended': {
    required: { subject: true },
    optional: { credentialId: true, holderId: true, refusedCards: true },
  },
  'alarm.acknowledged': {
    required: { actor: true, alarmSeq: true, alarm: true, since: true, note: true },
    optional: { slot: true, reader: true },
  },
  'lockout.cleared': {
    required: { subject: true, actor: true },
    optional: { credentialId: true, holderId: true, refusedCards: true },
  },
  'policy.changed': {
    required: {
      actor: true,
      entity: true,
      id: true,
      change: true,
      before: 'nullable',
      after: 'nullable',
    },
    optional: { reason: true },
  },
};

const ENVELOPE: Fields<RecordedEvent> = {
  required: {
    id: true,
    seq: true,
    cabinetId: true,
    type: true,
    time: true,
    clockSynced: true,
    monotonicMs: true,
    bootId: true,
    prevHash: true,
    hash: true,
    data: true,
  },
  optional: {},
};
const ACTOR: Fields<Actor> = { required: { kind: true, account: true }, optional: {} };
const CHANGE_COUNTS: Fields<ChangeCounts> = {
  required: { added: true, changed: true, removed: true },
  optional: {},
};
const SYNC_COUNTS: Fields<SyncCounts> = {
  required: {
    holders: true,
    credentials: true,
    keys: true,
    permissions: true,
    accessGroups: true,
    groupMembers: true,
    keySets: true,
    keySetMembers: true,
    schedules: true,
    scheduleWindows: true,
    scheduleExceptions: true,
    grants: true,
    tierRules: true,
    reasonCodes: true,
  },
  optional: {},
};
const STATUS: Fields<StatusPayload> = {
  required: { state: true, cabinetId: true, version: true, startedAt: true },
  optional: { outboxDepth: true, lastAckedSeq: true, lastSeq: true },
};
const INVENTORY: Fields<InventoryPayload> = {
  required: { cabinetId: true, slots: true, keysOut: true },
  optional: {},
};
const INVENTORY_SLOT: Fields<InventorySlot> = {
  required: {
    slot: true,
    state: true,
    key: 'nullable',
    tag: 'nullable',
    home: 'nullable',
    duplicateTag: 'nullable',
  },
  optional: {},
};
const KEY_OUT: Fields<InventoryKeyOut> = {
  required: {
    keyId: true,
    label: true,
    homeSlot: true,
    holderId: true,
    holderName: true,
    since: true,
    dueAt: 'nullable',
    overdue: true,
    outstanding: true,
  },
  optional: {},
};
const ALARM: Fields<ActiveAlarm> = {
  required: { type: true, since: true },
  optional: { slot: true, reader: true },
};
const COMMAND: Fields<SignedCommand> = {
  required: {
    id: true,
    name: true,
    cabinetId: true,
    issuedAt: true,
    expiresAt: true,
    keyId: true,
    counter: true,
    args: true,
    signature: true,
  },
  optional: {},
};
type ReplyOf<S extends CommandReply['status']> = Extract<CommandReply, { status: S }>;
const REPLY: { [S in CommandReply['status']]: Fields<ReplyOf<S>> } = {
  ok: { required: { commandId: true, name: true, status: true, result: true }, optional: {} },
  rejected: {
    required: {
      commandId: 'nullable',
      name: 'nullable',
      status: true,
      reason: true,
      message: true,
    },
    optional: {},
  },
  failed: {
    required: { commandId: true, name: true, status: true, reason: true, message: true },
    optional: { problems: true },
  },
};

const DENIAL_REASONS: Exactly<BadgeDenialReason> = {
  unknown_card: true,
  credential_disabled: true,
  holder_disabled: true,
  nothing_permitted: true,
  lockdown: true,
  unknown_holder: true,
  holder_not_yet_valid: true,
  holder_expired: true,
  credential_not_yet_valid: true,
  credential_expired: true,
  outside_schedule: true,
  permission_expired: true,
  permission_not_yet_valid: true,
  key_unavailable: true,
  locked_out: true,
  wrong_pin: true,
  pin_not_set: true,
  entry_timeout: true,
  entry_cancelled: true,
  reason_code_refused: true,
  overdue_key: true,
  loan_limit: true,
  pin_locked: true,
  presence_required: true,
  pick_refused: true,
  storage: true,
};
const ALARM_TYPES: Exactly<AlarmType> = {
  'door.forced': true,
  'key.forced': true,
  'key.wrong_slot': true,
  'key.unknown_fob': true,
  'reader.offline': true,
  'reader.tampered': true,
  'cabinet.tamper': true,
  'power.failed': true,
  'storage.backlog': true,
  'key.overdue': true,
  'door.held_open': true,
  'key.swapped': true,
  'key.duplicate_fob': true,
  'key.missing': true,
  'reader.card_flood': true,
  'storage.full': true,
  'storage.readonly': true,
  'storage.corrupt': true,
  'storage.failed': true,
};
const REJECTIONS: Exactly<CommandRejection> = {
  malformed: true,
  unknown_command: true,
  unsigned: true,
  unknown_key: true,
  bad_signature: true,
  wrong_cabinet: true,
  expired: true,
  not_yet_valid: true,
  replayed: true,
  out_of_order: true,
  invalid_args: true,
};
const POLICY_ENTITIES: Exactly<PolicyEntity> = {
  holder: true,
  credential: true,
  key: true,
  group: true,
  group_member: true,
  key_set: true,
  key_set_member: true,
  schedule: true,
  schedule_window: true,
  schedule_exception: true,
  permission: true,
  grant: true,
  tier_rule: true,
  reason_code: true,
  pin: true,
};
const OUTSTANDING_KEY: Fields<OutstandingKey> = {
  required: { keyId: true, keyLabel: true, slot: true, outAt: true },
  optional: {},
};
const ACTOR_KINDS: Exactly<Actor['kind']> = { custodian: true, central: true };
const EMERGENCY_SOURCES: Exactly<DataOf<'emergency.started'>['source']> = {
  command: true,
  input: true,
};

// --- Reading the schemas --------------------------------------------------------------------

interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $defs?: Record<string, Schema>;
  additionalProperties?: boolean;
  allOf?: Array<{ then?: Schema }>;
}

const schemas = new Map<MessageKind, Schema>(MESSAGE_KINDS.map((k) => [k, loadSchema(k)]));
function schema(kind: MessageKind): Schema {
  const found = schemas.get(kind);
  if (!found) throw new Error(`no ${kind} schema`);
  return found;
}

/** Follows a local `$ref` within the file. */
function resolve(root: Schema, node: Schema): Schema {
  if (!node.$ref) return node;
  const name = /^#\/\$defs\/(.+)$/.exec(node.$ref)?.[1];
  const target = name === undefined ? undefined : root.$defs?.[name];
  if (!target) throw new Error(`unresolved ${node.$ref}`);
  return resolve(root, target);
}

/** The fields table the schema describes, in the shape of the TypeScript tables above. */
function fieldsOf(root: Schema, node: Schema): { required: object; optional: object } {
  const object = resolve(root, node);
  expect(object.additionalProperties).toBe(false);
  const required: Record<string, true | 'nullable'> = {};
  const optional: Record<string, true | 'nullable'> = {};
  for (const [name, property] of Object.entries(object.properties ?? {})) {
    const { type } = resolve(root, property);
    const mark = Array.isArray(type) && type.includes('null') ? 'nullable' : true;
    (object.required?.includes(name) ? required : optional)[name] = mark;
  }
  return { required, optional };
}

const enumOf = (root: Schema, node: Schema): unknown[] =>
  [...(resolve(root, node).enum ?? [])].sort();
const keys = (table: object): string[] => Object.keys(table).sort();

// --- The checks -----------------------------------------------------------------------------

describe('docs/schemas say what the TypeScript types say', () => {
  const event = schema('event');

  it('the event envelope', () => {
    expect(fieldsOf(event, event)).toEqual(ENVELOPE);
  });

  it('the event types, and the data of each, field by field', () => {
    expect(enumOf(event, event.properties?.type ?? {})).toEqual(keys(EVENT_DATA));
    for (const [type, fields] of Object.entries(EVENT_DATA)) {
      const data = event.$defs?.[type];
      expect(data, type).toBeDefined();
      expect(fieldsOf(event, data ?? {}), type).toEqual(fields);
    }
    // Each type selects its own data schema.
    const selected = (event.allOf ?? []).map((branch) => branch.then?.properties?.data?.$ref);
    expect(selected.sort()).toEqual(keys(EVENT_DATA).map((t) => `#/$defs/${t}`));
  });

  it('the nested values of events', () => {
    expect(fieldsOf(event, { $ref: '#/$defs/actor' })).toEqual(ACTOR);
    expect(fieldsOf(event, { $ref: '#/$defs/changeCounts' })).toEqual(CHANGE_COUNTS);
    const counts = event.$defs?.['permissions.synced']?.properties?.counts ?? {};
    expect(fieldsOf(event, counts)).toEqual(SYNC_COUNTS);
    expect(enumOf(event, { $ref: '#/$defs/denialReason' })).toEqual(keys(DENIAL_REASONS));
    expect(enumOf(event, { $ref: '#/$defs/alarmType' })).toEqual(keys(ALARM_TYPES));
    expect(enumOf(event, { $ref: '#/$defs/commandRejection' })).toEqual(keys(REJECTIONS));
    expect(enumOf(event, { $ref: '#/$defs/commandName' })).toEqual([...COMMAND_NAMES].sort());
    expect(enumOf(event, { $ref: '#/$defs/emergencySource' })).toEqual(keys(EMERGENCY_SOURCES));
    const policy = event.$defs?.['policy.changed'] ?? {};
    expect(enumOf(event, policy.properties?.entity ?? {})).toEqual(keys(POLICY_ENTITIES));
    const outstanding = event.$defs?.['holder.disabled']?.properties?.outstanding?.items ?? {};
    expect(fieldsOf(event, outstanding)).toEqual(OUTSTANDING_KEY);
    const actor = resolve(event, { $ref: '#/$defs/actor' });
    expect(enumOf(event, actor.properties?.kind ?? {})).toEqual(keys(ACTOR_KINDS));
  });

  it('status, inventory and alarms', () => {
    const status = schema('status');
    expect(fieldsOf(status, status)).toEqual(STATUS);
    const inventory = schema('inventory');
    expect(fieldsOf(inventory, inventory)).toEqual(INVENTORY);
    expect(fieldsOf(inventory, inventory.properties?.slots?.items ?? {})).toEqual(INVENTORY_SLOT);
    expect(fieldsOf(inventory, inventory.properties?.keysOut?.items ?? {})).toEqual(KEY_OUT);
    const alarms = schema('alarms');
    expect(fieldsOf(alarms, alarms.properties?.alarms?.items ?? {})).toEqual(ALARM);
    expect(enumOf(alarms, alarms.properties?.alarms?.items?.properties?.type ?? {})).toEqual(
      keys(ALARM_TYPES),
    );
  });

  it('commands and replies', () => {
    const command = schema('command');
    expect(fieldsOf(command, command)).toEqual(COMMAND);
    expect(enumOf(command, command.properties?.name ?? {})).toEqual([...COMMAND_NAMES].sort());
    for (const name of COMMAND_NAMES) expect(command.$defs?.[name], name).toBeDefined();
    const reply = schema('reply');
    const all = Object.values(REPLY).flatMap((v) => [
      ...Object.keys(v.required),
      ...Object.keys(v.optional),
    ]);
    expect(keys(reply.properties ?? {})).toEqual([...new Set(all)].sort());
    expect(enumOf(reply, reply.properties?.status ?? {})).toEqual(keys(REPLY));
    expect(enumOf(reply, { $ref: '#/$defs/commandRejection' })).toEqual(keys(REJECTIONS));
  });
});

describe('docs/schemas document themselves', () => {
  /** Every property reachable from the root, `$defs` and array items, with its path. */
  function properties(node: Schema, path: string): Array<[string, Schema]> {
    const own = Object.entries(node.properties ?? {}).flatMap(([name, child]) => [
      [`${path}.${name}`, child] as [string, Schema],
      ...properties(child, `${path}.${name}`),
    ]);
    const items = node.items ? properties(node.items, `${path}[]`) : [];
    return [...own, ...items];
  }

  it('every property has a title and a description', () => {
    for (const kind of MESSAGE_KINDS) {
      const root = schema(kind);
      const all = [
        ...properties(root, kind),
        ...Object.entries(root.$defs ?? {}).flatMap(([name, def]) =>
          properties(def, `${kind}#${name}`),
        ),
      ];
      expect(all.length, kind).toBeGreaterThan(0);
      const undocumented = all
        .filter(([, p]) => {
          const s = p as { title?: string; description?: string };
          return !s.title || !s.description;
        })
        .map(([path]) => path);
      expect(undocumented, kind).toEqual([]);
    }
  });

  it('every `format` comes with the `pattern` that checks it', () => {
    const text = MESSAGE_KINDS.map((k) => JSON.stringify(schema(k))).join('\n');
    const formats = text.match(/"format":"[^"]+"/g) ?? [];
    const both = text.match(/"format":"[^"]+","pattern":/g) ?? [];
    expect(formats.length).toBeGreaterThan(0);
    expect(both.length).toBe(formats.length);
  });
});
