/**
 * The permission set the central server pushes, and a pure validator for it. A full set is the
 * whole truth at a version; a delta is upserts and removals on top of one base version. Both
 * are checked here without I/O: a delta is merged with the current rows (passed in as data)
 * and the set that would result is checked like a full one, so a delta can never leave a set
 * that a full sync would have refused.
 *
 * Each section is one entry in SECTIONS. The policy issue (groups, schedules, validity windows,
 * loan limits, key tiers) adds sections and fields there; the validator, the merge and the
 * store's diff read the table and do not change. The types below are the wire format.
 */

import { freeTextProblem } from './values/free-text.js';
import {
  calendarDate,
  endMinute,
  instantOrNull,
  oneOf,
  ordered,
  orNull,
  startMinute,
  weekday,
} from './policy/set-checks.js';
import {
  authoriserCount,
  curfewMinuteOrNull,
  keysOutOrNull,
  loanMinutesOrNull,
  pinHashOrNull,
  reasonCode,
} from './policy/loan-tier-pin-checks.js';
import type {
  SetAccessGroup,
  SetGrant,
  SetGroupMember,
  SetKeySet,
  SetKeySetMember,
  SetKeyState,
  SetKeyTier,
  SetLoanLimit,
  SetReasonCode,
  SetSchedule,
  SetScheduleException,
  SetScheduleWindow,
  SetTierRule,
  SetValidity,
} from './policy/set-rows.js';

export type * from './policy/set-rows.js';

export interface SetHolder extends SetValidity {
  id: number;
  name: string;
  enabled: boolean;
  /** Keys the holder may have out at once; null or absent: the configured default. */
  maxKeysOut?: number | null;
}

export interface SetCredential extends SetValidity {
  id: number;
  holderId: number;
  /** Upper-case decimal or hex, as the badge reader delivers it. */
  card: string;
  enabled: boolean;
  /** Ask for the PIN at every badge of this card. Absent: false. */
  pinRequired?: boolean;
  /** scrypt$N$r$p$salt$hash (src/store/pin-hash.ts); null or absent: no PIN. */
  pinHash?: string | null;
  /** The same format, never equal to pinHash; grants as normal and raises a silent alarm. */
  duressPinHash?: string | null;
}

export interface SetKey extends SetLoanLimit {
  id: number;
  /** The fob's tag, upper-case hex. */
  tag: string;
  label: string;
  homeSlot: number;
  /** Absent: active. */
  state?: SetKeyState;
  /** Null or absent: untiered. */
  tier?: SetKeyTier | null;
  /** Local minute of the day (0–1439) by which the key is due back; null or absent: none. */
  curfewMinute?: number | null;
  /** Back to its home slot, or to any free slot with a fob reader. Absent: home. */
  returnPolicy?: 'home' | 'any';
}

export interface SetPermission extends SetValidity, SetLoanLimit {
  holderId: number;
  slot: number;
}

/** The row type of each section; a section's name is also its field in the payload. */
export interface SectionRows {
  holders: SetHolder;
  credentials: SetCredential;
  keys: SetKey;
  permissions: SetPermission;
  accessGroups: SetAccessGroup;
  groupMembers: SetGroupMember;
  keySets: SetKeySet;
  keySetMembers: SetKeySetMember;
  schedules: SetSchedule;
  scheduleWindows: SetScheduleWindow;
  scheduleExceptions: SetScheduleException;
  grants: SetGrant;
  tierRules: SetTierRule;
  reasonCodes: SetReasonCode;
}

export type SectionName = keyof SectionRows;

export type PermissionSections = { [S in SectionName]: Array<SectionRows[S]> };

/**
 * Sections a full set may leave out to keep the rows in force (SectionRule.keptWhenAbsent):
 * a validated full set has them only when the server sent them.
 */
export type KeptSectionName = 'tierRules' | 'reasonCodes';

/** A full set: ids are the central server's and become the cabinet's primary keys. */
export type PermissionSet = { version: number } & Omit<PermissionSections, KeptSectionName> &
  Partial<Pick<PermissionSections, KeptSectionName>>;

/** How a delta names a row to remove: by id, or a permission by its holder and slot. */
export interface SectionRemovals {
  holders: number;
  credentials: number;
  keys: number;
  permissions: SetPermission;
  accessGroups: number;
  groupMembers: SetGroupMember;
  keySets: number;
  keySetMembers: SetKeySetMember;
  schedules: number;
  scheduleWindows: number;
  scheduleExceptions: number;
  grants: number;
  tierRules: SetKeyTier;
  reasonCodes: string;
}

export interface PermissionDelta {
  version: number;
  /** The version the delta was computed against: it is applied on that version only. */
  baseVersion: number;
  upsert: { [S in SectionName]?: Array<SectionRows[S]> };
  remove: { [S in SectionName]?: Array<SectionRemovals[S]> };
}

export interface ChangeCounts {
  added: number;
  changed: number;
  removed: number;
}

export type SyncCounts = Record<SectionName, ChangeCounts>;

/** What a sync did: the reply to the central server and the `permissions.synced` event. */
export interface SyncSummary {
  form: 'full' | 'delta';
  version: number;
  previousVersion: number;
  counts: SyncCounts;
}

export interface SetContext {
  slotCount: number;
  /**
   * Keys out on loan now, with the tag and home slot they keep while out. One the set leaves
   * out is retired but keeps both until it comes back, so no key of the set may take them.
   */
  keysOut?: ReadonlyArray<{ id: number; tag: string; homeSlot: number }>;
}

export type Validation<T> =
  { ok: true; value: T } | { ok: false; kind: 'malformed' | 'invalid'; problems: string[] };

export interface SyncEnvelope {
  form: 'full' | 'delta';
  version: number;
  baseVersion?: number;
}

/** A row's identity within its section: the diff and removals match rows by it. */
export type RowKey = number | string;

/** Returns what is wrong with a value, or undefined when it is fine. */
type FieldCheck = (value: unknown, context: SetContext) => string | undefined;

export interface SectionRule<S extends SectionName> {
  /** Every field of a row, in the order problems are reported; also what the diff compares. */
  fields: { [F in keyof SectionRows[S]]-?: FieldCheck };
  key(row: SectionRows[S]): RowKey;
  /** The fields `key` reads. */
  keyFields: ReadonlyArray<keyof SectionRows[S] & string>;
  /** Where a clash of identities is reported, after the row's path: ".id", or the row itself. */
  keyPath: string;
  /** The identity as it reads in a path: "id=12", "holderId=3,slot=2". */
  keyText(row: SectionRows[S]): string;
  /** A row named by its key, for messages: "holder 12". */
  describe(key: RowKey): string;
  /** Reads a delta's removal entry; problems are pushed with `path`. */
  removal(
    value: unknown,
    path: string,
    context: SetContext,
    problems: string[],
  ): RowKey | undefined;
  /** Fields no two rows may share, with what the value is called in a message. */
  unique: ReadonlyArray<{ field: keyof SectionRows[S] & string; what: string }>;
  /** Fields naming a row of another section, which must be in the set. */
  references: ReadonlyArray<{ field: keyof SectionRows[S] & string; section: SectionName }>;
  /** Fields a row may leave out; the diff reads an absent one as its default, or null. */
  optional?: ReadonlyArray<keyof SectionRows[S] & string>;
  defaults?: Partial<SectionRows[S]>;
  /**
   * A section added after the first servers: a full set without it has it empty, so a server
   * that knows nothing of the policy sections still sends a valid set.
   */
  optionalSection?: boolean;
  /**
   * A section a full set may leave out to keep the rows in force rather than empty it: it
   * holds what the cabinet had before any server sent it (seeded defaults, a custodian's
   * entries), and an older server that knows nothing of it must not wipe that silently.
   * Sent, even as an empty list, it replaces the rows in force.
   */
  keptWhenAbsent?: boolean;
  /** Checks over the whole section that need the cabinet's state (passed in the context). */
  extra?(
    rows: ReadonlyArray<SectionRows[S]>,
    context: SetContext,
  ): Array<{ index: number; field: string; problem: string }>;
}

const KEY_TIERS: readonly SetKeyTier[] = ['grand_master', 'master', 'sub_master', 'change'];
const CARD = /^[0-9A-F]{1,20}$/;
const TAG = /^[0-9A-F]{4,32}$/;

const id: FieldCheck = (value) =>
  Number.isSafeInteger(value) && (value as number) > 0 ? undefined : 'must be a positive integer';

const flag: FieldCheck = (value) =>
  typeof value === 'boolean' ? undefined : 'must be true or false';

/** Free text: the one rule of values/free-text (no controls, no bidi overrides), as sent. */
const text =
  (max: number): FieldCheck =>
  (value) => {
    if (typeof value !== 'string' || value.length > max || value.trim().length === 0) {
      return `must be 1 to ${max} characters, not blank`;
    }
    return freeTextProblem(value, max);
  };

const matching =
  (pattern: RegExp, what: string): FieldCheck =>
  (value) =>
    typeof value === 'string' && pattern.test(value) ? undefined : `must be ${what}`;

const slot: FieldCheck = (value, context) => {
  if (!Number.isSafeInteger(value)) return 'must be a slot number';
  const n = value as number;
  return n >= 1 && n <= context.slotCount
    ? undefined
    : `slot ${n} is outside 1..${context.slotCount}`;
};

/** Identity, its text and removal entries of a section whose rows are named by `id`. */
const byId = {
  key: (row: { id: number }): RowKey => row.id,
  keyFields: ['id'] as const,
  keyPath: '.id',
  keyText: (row: { id: number }): string => `id=${row.id}`,
  removal(value: unknown, path: string, context: SetContext, problems: string[]) {
    const problem = id(value, context);
    if (problem === undefined) return value as number;
    problems.push(`${path}: ${problem}`);
    return undefined;
  },
};

const holders: SectionRule<'holders'> = {
  fields: {
    id,
    name: text(200),
    enabled: flag,
    validFrom: instantOrNull,
    validUntil: instantOrNull,
    maxKeysOut: keysOutOrNull,
  },
  ...byId,
  optional: ['validFrom', 'validUntil', 'maxKeysOut'],
  extra: validityOrder,
  describe: (key) => `holder ${key}`,
  unique: [],
  references: [],
};

const credentials: SectionRule<'credentials'> = {
  fields: {
    id,
    holderId: id,
    card: matching(CARD, '1 to 20 upper-case decimal or hex digits'),
    enabled: flag,
    validFrom: instantOrNull,
    validUntil: instantOrNull,
    pinRequired: flag,
    pinHash: pinHashOrNull,
    duressPinHash: pinHashOrNull,
  },
  ...byId,
  optional: ['validFrom', 'validUntil', 'pinRequired', 'pinHash', 'duressPinHash'],
  defaults: { pinRequired: false },
  describe: (key) => `credential ${key}`,
  // The card itself is personal data: messages name the credential that has it instead.
  // PIN hashes likewise never appear in a message.
  unique: [{ field: 'card', what: 'the card' }],
  references: [{ field: 'holderId', section: 'holders' }],
  extra: (rows) => [...validityOrder(rows), ...duressApart(rows)],
};

/**
 * A duress PIN needs a normal one beside it, and must not be the very same hash: that PIN
 * would always raise the alarm. (Two hashes of one PIN with different salts cannot be told
 * apart here; the central server, which saw the PINs, must refuse those.)
 */
function duressApart(rows: ReadonlyArray<SetCredential>) {
  return rows.flatMap((row, index) => {
    const duress = row.duressPinHash ?? null;
    if (duress === null) return [];
    const pin = row.pinHash ?? null;
    if (pin === null) return [{ index, field: 'duressPinHash', problem: 'needs a pinHash too' }];
    return pin === duress
      ? [{ index, field: 'duressPinHash', problem: 'must differ from pinHash' }]
      : [];
  });
}

const keys: SectionRule<'keys'> = {
  fields: {
    id,
    tag: matching(TAG, '4 to 32 upper-case hex digits'),
    label: text(200),
    homeSlot: slot,
    state: oneOf('active', 'lost', 'stolen'),
    tier: orNull(oneOf(...KEY_TIERS)),
    maxLoanMinutes: loanMinutesOrNull,
    curfewMinute: curfewMinuteOrNull,
    returnPolicy: oneOf('home', 'any'),
  },
  ...byId,
  optional: ['state', 'tier', 'maxLoanMinutes', 'curfewMinute', 'returnPolicy'],
  defaults: { state: 'active', returnPolicy: 'home' },
  describe: (key) => `key ${key}`,
  unique: [
    { field: 'tag', what: 'the tag' },
    { field: 'homeSlot', what: 'the home slot' },
  ],
  references: [],
  extra(rows, context) {
    const inSet = new Set(rows.map((row) => row.id));
    const away = (context.keysOut ?? []).filter((key) => !inSet.has(key.id));
    if (away.length === 0) return [];
    const byTag = new Map(away.map((key) => [key.tag, key.id]));
    const bySlot = new Map(away.map((key) => [key.homeSlot, key.id]));
    const held = (id: number) =>
      `key ${id}, which is out on loan and not in the set: it must come back first`;
    return rows.flatMap((row, index) => {
      const tagOf = byTag.get(row.tag);
      const slotOf = bySlot.get(row.homeSlot);
      return [
        ...(tagOf === undefined
          ? []
          : [{ index, field: 'tag', problem: `still the tag of ${held(tagOf)}` }]),
        ...(slotOf === undefined
          ? []
          : [{ index, field: 'homeSlot', problem: `still the home of ${held(slotOf)}` }]),
      ];
    });
  },
};

/**
 * A permission's key packs the pair into one number (holder × 2^20 + slot) while that is exact,
 * as it is for any real cabinet: numbers hash twice as fast as strings, and a large set has
 * 200,000 permissions. Beyond that range the pair becomes a string.
 */
const SLOT_SPAN = 2 ** 20;
const MAX_PACKED_HOLDER = Math.floor(Number.MAX_SAFE_INTEGER / SLOT_SPAN);

const permissions: SectionRule<'permissions'> = {
  fields: {
    holderId: id,
    slot,
    validFrom: instantOrNull,
    validUntil: instantOrNull,
    maxLoanMinutes: loanMinutesOrNull,
  },
  optional: ['validFrom', 'validUntil', 'maxLoanMinutes'],
  extra: validityOrder,
  key: (row) =>
    row.slot < SLOT_SPAN && row.holderId <= MAX_PACKED_HOLDER
      ? row.holderId * SLOT_SPAN + row.slot
      : `${row.holderId}:${row.slot}`,
  keyFields: ['holderId', 'slot'],
  keyPath: '',
  keyText: (row) => `holderId=${row.holderId},slot=${row.slot}`,
  describe(key) {
    const [holder, slotNumber] =
      typeof key === 'number' ? [Math.floor(key / SLOT_SPAN), key % SLOT_SPAN] : key.split(':');
    return `the permission of holder ${holder} for slot ${slotNumber}`;
  },
  removal(value, path, context, problems) {
    const verdict = checkRow(permissions, value, path, undefined, context, problems);
    return verdict === WELL_FORMED ? permissions.key(value as SetPermission) : undefined;
  },
  unique: [],
  references: [{ field: 'holderId', section: 'holders' }],
};

/** A validity window must end after it starts. */
function validityOrder(rows: ReadonlyArray<SetValidity>) {
  return rows.flatMap((row, index) =>
    ordered(row.validFrom, row.validUntil)
      ? []
      : [{ index, field: 'validUntil', problem: 'must be after validFrom' }],
  );
}

/** A named row of the policy (group, key set, schedule): an id and a name. */
const named = (what: string) => ({
  fields: { id, name: text(200) },
  ...byId,
  describe: (key: RowKey) => `${what} ${key}`,
  unique: [],
  references: [],
  optionalSection: true,
});

/** A group is a named row with a loan limit of its own (the strictest limit applies). */
const accessGroups: SectionRule<'accessGroups'> = {
  ...named('access group'),
  fields: { id, name: text(200), maxLoanMinutes: loanMinutesOrNull },
  optional: ['maxLoanMinutes'],
};
const keySets: SectionRule<'keySets'> = named('key set');
const schedules: SectionRule<'schedules'> = named('schedule');

/**
 * A link row named by its two ids, packed into one number like a permission's key (the ids
 * of a real cabinet are far below 2^26).
 */
function link<S extends 'groupMembers' | 'keySetMembers'>(
  first: keyof SectionRows[S] & string,
  firstSection: SectionName,
  second: keyof SectionRows[S] & string,
  secondSection: SectionName,
  what: string,
): SectionRule<S> {
  const SPAN = 2 ** 26;
  const pair = (row: SectionRows[S]) =>
    [row[first] as unknown as number, row[second] as unknown as number] as const;
  const rule: SectionRule<S> = {
    fields: { [first]: id, [second]: id } as SectionRule<S>['fields'],
    key(row) {
      const [a, b] = pair(row);
      return b < SPAN && a <= Number.MAX_SAFE_INTEGER / SPAN ? a * SPAN + b : `${a}:${b}`;
    },
    keyFields: [first, second],
    keyPath: '',
    keyText: (row) => `${first}=${pair(row)[0]},${second}=${pair(row)[1]}`,
    describe(key) {
      const [a, b] =
        typeof key === 'number' ? [Math.floor(key / SPAN), key % SPAN] : key.split(':');
      return `${what} ${first}=${a},${second}=${b}`;
    },
    removal(value, path, context, problems) {
      const verdict = checkRow(rule, value, path, undefined, context, problems);
      return verdict === WELL_FORMED ? rule.key(value as SectionRows[S]) : undefined;
    },
    unique: [],
    references: [
      { field: first, section: firstSection },
      { field: second, section: secondSection },
    ],
    optionalSection: true,
  };
  return rule;
}

const groupMembers = link<'groupMembers'>(
  'holderId',
  'holders',
  'groupId',
  'accessGroups',
  'the membership',
);
const keySetMembers = link<'keySetMembers'>(
  'keySetId',
  'keySets',
  'keyId',
  'keys',
  'the key set member',
);

const scheduleWindows: SectionRule<'scheduleWindows'> = {
  fields: { id, scheduleId: id, day: weekday, startMinute, endMinute },
  ...byId,
  describe: (key) => `schedule window ${key}`,
  unique: [],
  references: [{ field: 'scheduleId', section: 'schedules' }],
  optionalSection: true,
  extra: (rows) =>
    rows.flatMap((row, index) =>
      row.startMinute < row.endMinute
        ? []
        : [
            {
              index,
              field: 'endMinute',
              problem: 'must be after startMinute (split a window at midnight)',
            },
          ],
    ),
};

const scheduleExceptions: SectionRule<'scheduleExceptions'> = {
  fields: {
    id,
    scheduleId: id,
    date: calendarDate,
    kind: oneOf('closed', 'open'),
    startMinute: orNull(startMinute),
    endMinute: orNull(endMinute),
  },
  ...byId,
  optional: ['startMinute', 'endMinute'],
  describe: (key) => `schedule exception ${key}`,
  unique: [],
  references: [{ field: 'scheduleId', section: 'schedules' }],
  optionalSection: true,
  extra: (rows) =>
    rows.flatMap((row, index) => {
      const start = row.startMinute ?? null;
      const end = row.endMinute ?? null;
      if ((start === null) !== (end === null)) {
        return [
          { index, field: 'endMinute', problem: 'give both startMinute and endMinute, or neither' },
        ];
      }
      return ordered(start, end)
        ? []
        : [{ index, field: 'endMinute', problem: 'must be after startMinute' }];
    }),
};

const grants: SectionRule<'grants'> = {
  fields: {
    id,
    holderId: orNull(id),
    groupId: orNull(id),
    slot: (value, context) => (value === null ? undefined : slot(value, context)),
    keySetId: orNull(id),
    scheduleId: orNull(id),
    validFrom: instantOrNull,
    validUntil: instantOrNull,
    maxLoanMinutes: loanMinutesOrNull,
  },
  ...byId,
  optional: [
    'holderId',
    'groupId',
    'slot',
    'keySetId',
    'scheduleId',
    'validFrom',
    'validUntil',
    'maxLoanMinutes',
  ],
  describe: (key) => `grant ${key}`,
  unique: [],
  references: [
    { field: 'holderId', section: 'holders' },
    { field: 'groupId', section: 'accessGroups' },
    { field: 'keySetId', section: 'keySets' },
    { field: 'scheduleId', section: 'schedules' },
  ],
  optionalSection: true,
  extra: (rows) =>
    rows.flatMap((row, index) => {
      const problems: Array<{ index: number; field: string; problem: string }> = [];
      if ((row.holderId == null) === (row.groupId == null)) {
        problems.push({
          index,
          field: 'holderId',
          problem: 'give exactly one of holderId and groupId',
        });
      }
      if ((row.slot == null) === (row.keySetId == null)) {
        problems.push({ index, field: 'slot', problem: 'give exactly one of slot and keySetId' });
      }
      return [...problems, ...validityOrder([row]).map((p) => ({ ...p, index }))];
    }),
};

/** What taking a key of a tier requires; a tier without a row has no rule of its own. */
const tierRules: SectionRule<'tierRules'> = {
  fields: {
    tier: oneOf(...KEY_TIERS),
    authorisers: authoriserCount,
    authoriserGroupId: orNull(id),
    pin: flag,
    maxLoanMinutes: loanMinutesOrNull,
    reasonCode: flag,
  },
  key: (row) => row.tier,
  keyFields: ['tier'],
  keyPath: '.tier',
  keyText: (row) => `tier=${row.tier}`,
  describe: (key) => `the rule of tier ${key}`,
  removal(value, path, _context, problems) {
    const problem = oneOf(...KEY_TIERS)(value);
    if (problem === undefined) return value as SetKeyTier;
    problems.push(`${path}: ${problem}`);
    return undefined;
  },
  optional: ['authoriserGroupId', 'maxLoanMinutes'],
  unique: [],
  references: [{ field: 'authoriserGroupId', section: 'accessGroups' }],
  optionalSection: true,
  keptWhenAbsent: true,
};

/** The codes a reason may be given as; none at all: any code of 1–6 digits is accepted. */
const reasonCodes: SectionRule<'reasonCodes'> = {
  fields: { code: reasonCode, description: text(200) },
  key: (row) => row.code,
  keyFields: ['code'],
  keyPath: '.code',
  keyText: (row) => `code=${row.code}`,
  describe: (key) => `reason code ${key}`,
  removal(value, path, _context, problems) {
    const problem = reasonCode(value);
    if (problem === undefined) return value as string;
    problems.push(`${path}: ${problem}`);
    return undefined;
  },
  unique: [],
  references: [],
  optionalSection: true,
  keptWhenAbsent: true,
};

/**
 * Every section, parents before the sections that refer to them: the store inserts in this
 * order and removes in the reverse one.
 */
export const SECTIONS: { readonly [S in SectionName]: SectionRule<S> } = {
  holders,
  credentials,
  keys,
  permissions,
  accessGroups,
  groupMembers,
  keySets,
  keySetMembers,
  schedules,
  scheduleWindows,
  scheduleExceptions,
  grants,
  tierRules,
  reasonCodes,
};

export const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];

/** The policy's sections, empty: for sets built by hand that do not use them. */
export function emptyPolicySections(): Pick<
  PermissionSections,
  | 'accessGroups'
  | 'groupMembers'
  | 'keySets'
  | 'keySetMembers'
  | 'schedules'
  | 'scheduleWindows'
  | 'scheduleExceptions'
  | 'grants'
> {
  return {
    accessGroups: [],
    groupMembers: [],
    keySets: [],
    keySetMembers: [],
    schedules: [],
    scheduleWindows: [],
    scheduleExceptions: [],
    grants: [],
  };
}

/** Tells a full set from a delta and reads their versions; anything else is malformed. */
export function readSyncEnvelope(payload: unknown): Validation<SyncEnvelope> {
  if (!isRecord(payload)) return malformed(['payload: must be an object']);
  const problems: string[] = [];
  const version = versionOf(payload, 'version', problems);
  if (!('baseVersion' in payload)) {
    return problems.length > 0 ? malformed(problems) : accept({ form: 'full', version });
  }
  const baseVersion = versionOf(payload, 'baseVersion', problems);
  if (problems.length === 0 && version <= baseVersion) {
    problems.push(`version: ${version} must be greater than baseVersion ${baseVersion}`);
  }
  return problems.length > 0
    ? malformed(problems)
    : accept({ form: 'delta', version, baseVersion });
}

/**
 * Checks a full set. Every problem is reported: each row's own fields, then ids, unique fields
 * and references across the set among the rows that are well formed. A row with a bad field
 * but a readable id still counts as present, so its credentials are not reported twice.
 */
export function validatePermissionSet(
  payload: unknown,
  context: SetContext,
  /** The rows in force of the sections a full set may leave out to keep (keptWhenAbsent). */
  inForce: Partial<PermissionSections> = {},
): Validation<PermissionSet> {
  const envelope = readSyncEnvelope(payload);
  if (!envelope.ok) return envelope;
  if (envelope.value.form !== 'full') return malformed(['baseVersion: a full set has none']);
  const body = payload as Record<string, unknown>;
  const problems = unknownFields(body, ['version', ...SECTION_NAMES], '');
  for (const name of SECTION_NAMES) {
    if (body[name] === undefined && SECTIONS[name].optionalSection) continue;
    if (!Array.isArray(body[name])) problems.push(`${name}: must be an array`);
  }
  if (problems.length > 0) return malformed(problems);

  const set = { version: envelope.value.version } as PermissionSet;
  const located = {} as LocatedSections;
  for (const name of SECTION_NAMES) {
    if (body[name] === undefined && SECTIONS[name].keptWhenAbsent) {
      keepSection(located, name, inForce[name] ?? []);
      continue;
    }
    const checked = checkRows(name, (body[name] ?? []) as unknown[], context, problems, name);
    setSection(set, name, checked.rows);
    locate(located, name, { ...checked, path: (i) => `${name}[${checked.index[i]}]` });
  }
  crossCheck(located, context, problems);
  return problems.length > 0 ? { ok: false, kind: 'invalid', problems } : accept(set);
}

/**
 * Checks a delta against the current set and returns the set that would result (with the
 * delta's version). A removal must name a row that exists; a row may not be both upserted and
 * removed; references and unique fields are checked over the result, so removing a holder
 * whose credentials stay is a problem, named where the credential is.
 */
export function validatePermissionDelta(
  payload: unknown,
  /** A kept section left out (keptWhenAbsent) counts as empty: the store always gives them all. */
  current: Omit<PermissionSet, 'version'>,
  context: SetContext,
): Validation<PermissionSet> {
  const envelope = readSyncEnvelope(payload);
  if (!envelope.ok) return envelope;
  if (envelope.value.form !== 'delta') return malformed(['baseVersion: a delta must have one']);
  const body = payload as Record<string, unknown>;
  const problems = unknownFields(body, ['version', 'baseVersion', 'upsert', 'remove'], '');
  const upsert = sectionLists(body, 'upsert', problems);
  const remove = sectionLists(body, 'remove', problems);
  if (problems.length > 0 || !upsert || !remove) return malformed(problems);

  const set = { version: envelope.value.version } as PermissionSet;
  const located = {} as LocatedSections;
  const removedAt = new Map<SectionName, Map<RowKey, string>>();
  for (const name of SECTION_NAMES) {
    const rows = (current as Partial<PermissionSections>)[name] ?? [];
    const merged = mergeSection(name, rows, upsert[name], remove[name], context, problems);
    setSection(set, name, merged.rows);
    locate(located, name, merged);
    removedAt.set(name, merged.removedAt);
  }
  crossCheck(located, context, problems, (name, key) => removedAt.get(name)?.get(key));
  return problems.length > 0 ? { ok: false, kind: 'invalid', problems } : accept(set);
}

/**
 * A kept section takes part in the checks across sections as it stands in force: a set that
 * removes a group a kept tier rule names is refused, at the rule's path under `current.`.
 */
function keepSection<S extends SectionName>(
  located: LocatedSections,
  name: S,
  rows: Array<SectionRows[S]>,
): void {
  const rule: SectionRule<S> = SECTIONS[name];
  locate(located, name, {
    rows,
    path: (i) => `current.${name}[${rule.keyText(rows[i] as SectionRows[S])}]`,
    known: new Set(),
  });
}

/** The well-formed rows of one section, where each came from, and who else is present. */
interface Located<S extends SectionName> {
  rows: Array<SectionRows[S]>;
  path(index: number): string;
  /** Keys of rows left out for a bad field: present, so nothing referring to them is wrong. */
  known: Set<RowKey>;
}

type LocatedSections = { [S in SectionName]: Located<S> };

function mergeSection<S extends SectionName>(
  name: S,
  current: Array<SectionRows[S]>,
  upsertList: unknown[] | undefined,
  removeList: unknown[] | undefined,
  context: SetContext,
  problems: string[],
): Located<S> & { removedAt: Map<RowKey, string> } {
  const rule: SectionRule<S> = SECTIONS[name];
  const upserted = checkRows(name, upsertList ?? [], context, problems, `upsert.${name}`);
  const upsertKeys = new Set(upserted.known);
  for (const row of upserted.rows) upsertKeys.add(rule.key(row));
  const inCurrent = keyFinder(current.map((row) => rule.key(row)));
  const removedAt = new Map<RowKey, string>();
  (removeList ?? []).forEach((entry, i) => {
    const path = `remove.${name}[${i}]`;
    const key = rule.removal(entry, path, context, problems);
    if (key === undefined) return;
    const what = rule.describe(key);
    const earlier = removedAt.get(key);
    if (earlier) problems.push(`${path}: ${what} is removed more than once (also ${earlier})`);
    else if (upsertKeys.has(key)) problems.push(`${path}: ${what} is also upserted`);
    else if (inCurrent(key) < 0) problems.push(`${path}: ${what} is not in the current set`);
    else removedAt.set(key, path);
  });
  const kept = current.filter((row) => {
    const key = rule.key(row);
    return !upsertKeys.has(key) && !removedAt.has(key);
  });
  // Upserts after the kept rows: a clash between the two is reported at the upsert's path.
  return {
    rows: [...kept, ...upserted.rows],
    path: (i) =>
      i < kept.length
        ? `current.${name}[${rule.keyText(kept[i] as SectionRows[S])}]`
        : `upsert.${name}[${upserted.index[i - kept.length]}]`,
    known: upserted.known,
    removedAt,
  };
}

/**
 * Checks each row's fields. Returns the well-formed rows (untouched), their indexes in `list`,
 * and the keys of the rows left out whose key fields were fine. Runs 400,000 times for a large
 * set, so it allocates nothing for a good row: paths are built only for a problem.
 */
function checkRows<S extends SectionName>(
  name: S,
  list: unknown[],
  context: SetContext,
  problems: string[],
  path: string,
): { rows: Array<SectionRows[S]>; index: number[]; known: Set<RowKey> } {
  const rule: SectionRule<S> = SECTIONS[name];
  const checked = {
    rows: [] as Array<SectionRows[S]>,
    index: [] as number[],
    known: new Set<RowKey>(),
  };
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    const verdict = checkRow(rule, value, path, i, context, problems);
    if (verdict === WELL_FORMED) {
      checked.rows.push(value as SectionRows[S]);
      checked.index.push(i);
    } else if (verdict === KEY_READABLE) checked.known.add(rule.key(value as SectionRows[S]));
  }
  return checked;
}

/** What checkRow found: a row, or not but its key fields are fine, or not even that. */
const WELL_FORMED = 0;
const KEY_READABLE = 1;
const UNREADABLE = 2;

/**
 * Checks `value` as a row of the rule's section, reporting at `path[index]` (or at `path` when
 * index is undefined). A well-formed value is a row as it stands: every field was checked and
 * there are no others. A KEY_READABLE one has good key fields, all that rule.key reads.
 */
function checkRow<S extends SectionName>(
  rule: SectionRule<S>,
  value: unknown,
  path: string,
  index: number | undefined,
  context: SetContext,
  problems: string[],
): number {
  const at = () => (index === undefined ? path : `${path}[${index}]`);
  if (!isRecord(value)) {
    problems.push(`${at()}: must be an object`);
    return UNREADABLE;
  }
  let verdict = WELL_FORMED;
  const fields = rule.fields as Record<string, FieldCheck>;
  let present = 0;
  for (const field of fieldNames(rule)) {
    const has = field in value;
    if (has) present++;
    const problem = has
      ? fields[field]?.(value[field], context)
      : (rule.optional as readonly string[] | undefined)?.includes(field)
        ? undefined
        : 'is missing';
    if (problem === undefined) continue;
    problems.push(`${at()}.${field}: ${problem}`);
    const keyField = (rule.keyFields as readonly string[]).includes(field);
    verdict = keyField || verdict === UNREADABLE ? UNREADABLE : KEY_READABLE;
  }
  // Only when there are more fields than the known ones present is any of them unknown.
  let own = 0;
  for (const _ in value) own++;
  if (own === present) return verdict;
  for (const field in value) {
    if (field in fields) continue;
    problems.push(`${at()}.${field}: unknown field`);
    if (verdict === WELL_FORMED) verdict = KEY_READABLE;
  }
  return verdict;
}

const fieldNameCache = new WeakMap<object, string[]>();

/** The rule's field names, listed once: Object.keys per row would allocate 400,000 arrays. */
function fieldNames<S extends SectionName>(rule: SectionRule<S>): string[] {
  let names = fieldNameCache.get(rule.fields);
  if (!names) fieldNameCache.set(rule.fields, (names = Object.keys(rule.fields)));
  return names;
}

/** Identities, unique fields, references and state-dependent checks, across whole sections. */
function crossCheck(
  sections: LocatedSections,
  context: SetContext,
  problems: string[],
  removedBy: (section: SectionName, key: RowKey) => string | undefined = () => undefined,
): void {
  const keysOf = new Map<SectionName, KeyIndex>();
  for (const name of SECTION_NAMES) {
    keysOf.set(name, checkKeys(name, sections[name], problems));
    checkUnique(name, sections[name], problems);
  }
  for (const name of SECTION_NAMES) {
    checkReferences(name, sections, keysOf, removedBy, problems);
    checkExtra(name, sections[name], context, problems);
  }
}

/** The keys of a section, for references to look up. */
interface KeyIndex {
  has(key: RowKey): boolean;
}

/**
 * Reports keys that appear more than once. Keys are numbers in practice: sorted in a typed
 * array (natively, and already in order when the server sends rows so) they show duplicates
 * side by side and serve as the index, far cheaper than a hash table of 200,000 keys. Only
 * when there is a duplicate to name, or a key is a string, does a Map do the work.
 */
function checkKeys<S extends SectionName>(
  name: S,
  { rows, path }: Located<S>,
  problems: string[],
): KeyIndex {
  const rule: SectionRule<S> = SECTIONS[name];
  const keys = rows.map((row) => rule.key(row));
  const sorted = sortedWithoutDuplicates(keys);
  if (sorted) {
    const find = keyFinder(sorted);
    return { has: (key) => find(key) >= 0 };
  }
  const seen = new Map<RowKey, number>();
  keys.forEach((key, i) => {
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      const what = `${rule.describe(key)} appears more than once (also ${path(first)})`;
      problems.push(`${path(i)}${rule.keyPath}: ${what}`);
    }
  });
  return seen;
}

function checkUnique<S extends SectionName>(
  name: S,
  { rows, path }: Located<S>,
  problems: string[],
): void {
  const rule: SectionRule<S> = SECTIONS[name];
  for (const unique of rule.unique) {
    const seen = new Map<unknown, number>();
    for (let i = 0; i < rows.length; i++) {
      const value = (rows[i] as SectionRows[S])[unique.field];
      const other = seen.get(value);
      if (other === undefined) {
        seen.set(value, i);
        continue;
      }
      const owner = rule.describe(rule.key(rows[other] as SectionRows[S]));
      problems.push(`${path(i)}.${unique.field}: also ${unique.what} of ${owner} (${path(other)})`);
    }
  }
}

/** The keys sorted, or undefined if one is a string or two are equal. */
function sortedWithoutDuplicates(keys: RowKey[]): Float64Array | undefined {
  const sorted = new Float64Array(keys.length);
  let inOrder = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'number') return undefined;
    sorted[i] = key;
    if (i > 0 && key <= (sorted[i - 1] as number)) inOrder = false;
  }
  if (!inOrder) sorted.sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) return undefined;
  }
  return sorted;
}

function checkReferences<S extends SectionName>(
  name: S,
  sections: LocatedSections,
  keysOf: Map<SectionName, KeyIndex>,
  removedBy: (section: SectionName, key: RowKey) => string | undefined,
  problems: string[],
): void {
  const { rows, path }: Located<S> = sections[name];
  for (const ref of SECTIONS[name].references) {
    const targets = keysOf.get(ref.section);
    const known = sections[ref.section].known;
    for (let i = 0; i < rows.length; i++) {
      const target = (rows[i] as SectionRows[S])[ref.field] as RowKey | null | undefined;
      // An optional reference left empty names nothing (a grant to a group has no holder).
      if (target == null) continue;
      if (targets?.has(target) || known.has(target)) continue;
      const removal = removedBy(ref.section, target);
      problems.push(
        `${path(i)}.${ref.field}: ${SECTIONS[ref.section].describe(target)} is not in the set` +
          (removal ? ` (removed by ${removal})` : ''),
      );
    }
  }
}

function checkExtra<S extends SectionName>(
  name: S,
  { rows, path }: Located<S>,
  context: SetContext,
  problems: string[],
): void {
  const extra = SECTIONS[name].extra;
  if (!extra) return;
  for (const p of extra(rows, context)) problems.push(`${path(p.index)}.${p.field}: ${p.problem}`);
}

/**
 * Where a key is among `keys`, or -1. Keys read from the database come in key order: then a
 * binary search finds them, with no hash table of 400,000 entries to build. Otherwise a Map.
 */
export function keyFinder(keys: ArrayLike<RowKey>): (key: RowKey) => number {
  if (!ascendingNumbers(keys)) {
    const index = new Map(Array.from(keys, (key, i) => [key, i]));
    return (key) => index.get(key) ?? -1;
  }
  const sorted = keys as ArrayLike<number>;
  return (key) => {
    if (typeof key !== 'number') return -1;
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = sorted[mid] as number;
      if (value === key) return mid;
      if (value < key) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  };
}

function ascendingNumbers(keys: ArrayLike<RowKey>): boolean {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'number' || (i > 0 && key <= (keys[i - 1] as number))) return false;
  }
  return true;
}

function locate<S extends SectionName>(
  located: LocatedSections,
  name: S,
  section: Located<S>,
): void {
  (located as { [K in S]: Located<K> })[name] = section;
}

function sectionLists(
  body: Record<string, unknown>,
  field: 'upsert' | 'remove',
  problems: string[],
): { [S in SectionName]?: unknown[] } | undefined {
  const value = body[field];
  if (!isRecord(value)) {
    problems.push(`${field}: must be an object with a list per section`);
    return undefined;
  }
  problems.push(...unknownFields(value, SECTION_NAMES, `${field}.`));
  for (const name of SECTION_NAMES) {
    if (name in value && !Array.isArray(value[name]))
      problems.push(`${field}.${name}: must be an array`);
  }
  return value as { [S in SectionName]?: unknown[] };
}

function versionOf(body: Record<string, unknown>, field: string, problems: string[]): number {
  const value = body[field];
  if (Number.isSafeInteger(value) && (value as number) > 0) return value as number;
  problems.push(`${field}: must be a positive integer`);
  return 0;
}

function unknownFields(body: Record<string, unknown>, known: readonly string[], prefix: string) {
  return Object.keys(body)
    .filter((field) => !known.includes(field))
    .map((field) => `${prefix}${field}: unknown section or field`);
}

function setSection<S extends SectionName>(
  set: PermissionSet | PermissionSections,
  name: S,
  rows: Array<SectionRows[S]>,
): void {
  (set as PermissionSections)[name] = rows as PermissionSections[S];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(problems: string[]): Validation<never> {
  return { ok: false, kind: 'malformed', problems };
}

function accept<T>(value: T): Validation<T> {
  return { ok: true, value };
}
