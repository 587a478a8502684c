// With `.js`, as Node's resolution wants: the tests read these words outside the bundle.
import { formatInstant } from '../../shared/format.js';
import type { EVENT_TYPES } from './event-types.js';

export type EventTypeName = (typeof EVENT_TYPES)[number];

/**
 * Each event type in the words a custodian reads in the log and its type picker. Typed by the
 * list of types, so a type added there without words here does not compile (and
 * test/web/event-words.test.ts checks the list against the contract's).
 */
export const EVENT_WORDS: Record<EventTypeName, string> = {
  'access.granted': 'Access granted',
  'access.denied': 'Access refused',
  'key.checked_out': 'Key taken',
  'key.checked_in': 'Key returned',
  'key.forced': 'Key pulled without a release',
  'key.wrong_slot': 'Key in the wrong slot',
  'key.unknown_fob': 'Unknown fob in a slot',
  'door.forced': 'Door forced open',
  'door.held_open': 'Door held open',
  'key.swapped': 'Another key in a slot',
  'key.duplicate_fob': 'Same fob in two slots',
  'key.returned_unrecorded': 'Key back without a recorded return',
  'key.missing': 'Key missing',
  'clock.stepped': 'Clock jumped',
  'alarm.cleared': 'Alarm cleared',
  'storage.backlog': 'Events waiting to be sent',
  'storage.full': 'Storage full',
  'storage.readonly': 'Storage read-only',
  'storage.corrupt': 'Storage corrupt',
  'storage.failed': 'Storage failed',
  'reader.offline': 'Reader offline',
  'reader.online': 'Reader back online',
  'reader.tampered': 'Reader tampered with',
  'reader.card_flood': 'Flood of unknown cards',
  'cabinet.tamper': 'Cabinet tampered with',
  'power.failed': 'Power failed',
  'power.restored': 'Power restored',
  'command.accepted': 'Central command accepted',
  'command.rejected': 'Central command refused',
  'permissions.synced': 'Permissions synced from the central server',
  'emergency.started': 'Emergency release started',
  'emergency.ended': 'Emergency release ended',
  'lockdown.started': 'Lockdown started',
  'lockdown.ended': 'Lockdown ended',
  'cabinet.started': 'Cabinet started',
  'cabinet.stopped': 'Cabinet stopped',
  'holder.added': 'Person added',
  'holder.disabled': 'Person disabled',
  'credential.added': 'Card added',
  'key.added': 'Key added',
  'permission.granted': 'Permission given',
  'permission.revoked': 'Permission taken away',
  'lockout.started': 'Lockout started',
  'lockout.ended': 'Lockout ended',
  'lockout.cleared': 'Lockout cleared',
  'alarm.acknowledged': 'Alarm acknowledged',
  'key.overdue': 'Key overdue',
  'key.overdue_reminder': 'Overdue key reminder',
  'key.flagged_return': 'Lost, stolen or retired key returned',
  'authorisation.requested': 'Second person asked for',
  'authorisation.given': 'Second person authorised',
  'authorisation.refused': 'Authorisation refused',
  'authorisation.expired': 'Nobody authorised in time',
  'alarm.duress': 'Duress PIN used',
  'pin.locked': 'PIN blocked',
  'pin.reset': 'PIN count reset',
  'validity.expired': 'Access ended',
  'policy.changed': 'Records changed',
};

/** A type in words; a type this page does not know (a newer daemon's) as it is recorded. */
export function eventTypeWords(type: string): string {
  return (EVENT_WORDS as Record<string, string | undefined>)[type] ?? type;
}

/** The names of the ids a page of events mentions (GET /api/events `names`). */
export interface EventNames {
  holders: Record<string, string>;
  keys: Record<string, string>;
  groups: Record<string, string>;
  keySets: Record<string, string>;
  schedules: Record<string, string>;
}
type Kind = keyof EventNames;

export interface Fact {
  label: string;
  value: string;
}

/** The columns of their own (time, type, holder, key, by): left out of the facts. */
const OWN_COLUMNS = new Set(['holderId', 'holderName', 'keyId', 'keyLabel', 'actor']);

/** Labels for the fields events carry; any other field is its name in words. */
const LABELS: Record<string, string> = {
  slot: 'Slot',
  slots: 'Slots',
  homeSlot: 'Home slot',
  otherSlot: 'Also in slot',
  withheld: 'Slots waiting for a second person',
  dueAt: 'Due',
  outAt: 'Out since',
  since: 'Since',
  until: 'Until',
  validFrom: 'From',
  validUntil: 'Until',
  occurredAt: 'Happened at',
  durationSeconds: 'Out for',
  heldOpenSeconds: 'Held open for',
  windowSeconds: 'Within',
  overdueMinutes: 'Overdue by (minutes)',
  returnedBy: 'Returned by',
  authoriserId: 'Authoriser',
  authoriser: 'Authoriser',
  authorisers: 'Authorisers',
  foundKeyId: 'Key found',
  foundKeyLabel: 'Key found',
  card: 'Card',
  credentialId: 'Card record',
  reason: 'Reason',
  reasonCode: 'Reason code',
  note: 'Note',
  alarm: 'Alarm',
  alarmSeq: 'Alarm event',
  reader: 'Reader',
  name: 'Name',
  label: 'Label',
  tag: 'Fob tag',
  company: 'Company',
  enabled: 'Enabled',
  maxKeysOut: 'Keys out at most',
  maxLoanMinutes: 'Loan limit (minutes)',
  holderId: 'Person',
  keyId: 'Key',
  groupId: 'Group',
  keySetId: 'Key set',
  scheduleId: 'Schedule',
  members: 'Members',
  keys: 'Keys',
  takeRefused: 'May take nothing because of',
  wrongPins: 'Wrong PINs',
  commandId: 'Command',
  deltaMs: 'Jumped by (ms)',
};

const ID_KINDS: Record<string, Kind> = {
  holderId: 'holders',
  authoriserId: 'holders',
  returnedBy: 'holders',
  keyId: 'keys',
  foundKeyId: 'keys',
  groupId: 'groups',
  keySetId: 'keySets',
  scheduleId: 'schedules',
};
const ID_LIST_KINDS: Record<string, Kind> = {
  keys: 'keys',
  keyIds: 'keys',
  allowHolders: 'holders',
  allowGroups: 'groups',
};
const ONE: Record<Kind, string> = {
  holders: 'person',
  keys: 'key',
  groups: 'group',
  keySets: 'key set',
  schedules: 'schedule',
};

/** A field's name in words: `maxLoanMinutes` → "Max loan minutes". */
function labelOf(field: string): string {
  const known = LABELS[field];
  if (known) return known;
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** A coded value (`holder_expired`, `credential`) in words: "holder expired". */
function codeWords(code: string): string {
  return code.replace(/[_.]/g, ' ');
}

function nameOf(names: EventNames, kind: Kind, id: number): string {
  return names[kind][String(id)] ?? `${ONE[kind]} ${id}`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** One value in words: names for ids, times in the cabinet's zone, yes/no, lists joined. */
function valueWords(field: string, value: unknown, names: EventNames): string {
  if (value === null || value === undefined) return 'none';
  const kind = ID_KINDS[field];
  if (kind && typeof value === 'number') return nameOf(names, kind, value);
  const listKind = ID_LIST_KINDS[field];
  if (Array.isArray(value)) {
    if (field === 'members') return value.length === 1 ? '1 person' : `${value.length} people`;
    if (value.length === 0) return 'none';
    return value
      .map((item) => {
        if (listKind && typeof item === 'number') return nameOf(names, listKind, item);
        if (item && typeof item === 'object' && 'holderName' in item)
          return String((item as { holderName: unknown }).holderName);
        return typeof item === 'object' ? JSON.stringify(item) : String(item);
      })
      .join(', ');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (field.endsWith('Seconds')) return durationWords(value);
    return String(value);
  }
  if (typeof value === 'string') {
    if (ISO_INSTANT.test(value)) return formatInstant(value);
    if (field === 'reason' || field === 'takeRefused' || field === 'kind' || field === 'alarm') {
      return codeWords(value);
    }
    return value;
  }
  if (typeof value === 'object' && 'holderName' in value) {
    return String(value.holderName);
  }
  return JSON.stringify(value);
}

function durationWords(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** An event's details as label/value pairs, the names of what it names instead of ids. */
export function eventFacts(
  event: { type: string; data: Record<string, unknown> },
  names: EventNames,
): Fact[] {
  if (event.type === 'policy.changed') return policyChangeFacts(event.data, names);
  return Object.entries(event.data)
    .filter(([field, value]) => !OWN_COLUMNS.has(field) && value !== null && value !== undefined)
    .map(([field, value]) => ({ label: labelOf(field), value: valueWords(field, value, names) }));
}

/** What a policy change touched, in words: "group Night crew", "Bob Builder in group Night crew". */
function policySubject(entity: string, id: string, names: EventNames): string {
  const number = /^\d+$/.test(id) ? Number(id) : null;
  const pair = /^(\d+):(\d+)$/.exec(id);
  const first = pair ? Number(pair[1]) : 0;
  const second = pair ? Number(pair[2]) : 0;
  switch (entity) {
    case 'holder':
      return number === null ? `person ${id}` : nameOf(names, 'holders', number);
    case 'key':
      return number === null ? `key ${id}` : `key ${nameOf(names, 'keys', number)}`;
    case 'group':
      return number === null ? `group ${id}` : `group ${nameOf(names, 'groups', number)}`;
    case 'key_set':
      return number === null ? `key set ${id}` : `key set ${nameOf(names, 'keySets', number)}`;
    case 'schedule':
      return number === null ? `schedule ${id}` : `schedule ${nameOf(names, 'schedules', number)}`;
    case 'group_member':
      return pair
        ? `${nameOf(names, 'holders', second)} in group ${nameOf(names, 'groups', first)}`
        : `group membership ${id}`;
    case 'key_set_member':
      return pair
        ? `key ${nameOf(names, 'keys', second)} in key set ${nameOf(names, 'keySets', first)}`
        : `key set member ${id}`;
    case 'schedule_window':
      return pair ? `a window of schedule ${nameOf(names, 'schedules', first)}` : `window ${id}`;
    case 'schedule_exception':
      return pair
        ? `an exception to schedule ${nameOf(names, 'schedules', first)}`
        : `exception ${id}`;
    case 'credential':
      return `card record ${id}`;
    case 'pin':
      return `the PIN of card record ${id}`;
    case 'permission':
      return `permission ${id}`;
    case 'grant':
      return `grant ${id}`;
    case 'tier_rule':
      return `the rules of tier ${id}`;
    case 'reason_code':
      return `reason code ${id}`;
    default:
      return `${codeWords(entity)} ${id}`;
  }
}

const CHANGE_WORDS: Record<string, string> = {
  added: 'Added',
  updated: 'Changed',
  removed: 'Removed',
};

/**
 * A policy change as a sentence ("Changed: group Night crew") and, for each field, what it is
 * now, what it was, or "from … to …".
 */
function policyChangeFacts(data: Record<string, unknown>, names: EventNames): Fact[] {
  const change = String(data.change);
  const subject = policySubject(String(data.entity), String(data.id), names);
  const facts: Fact[] = [{ label: CHANGE_WORDS[change] ?? change, value: subject }];
  const before = asFields(data.before);
  const after = asFields(data.after);
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  for (const field of fields) {
    // An addition or a removal lists what the record held; an empty field says nothing.
    if (!(before && after) && (before ?? after)?.[field] === null) continue;
    const was = before ? valueWords(field, before[field], names) : undefined;
    const is = after ? valueWords(field, after[field], names) : undefined;
    const value =
      was !== undefined && is !== undefined ? `from ${was} to ${is}` : (is ?? was ?? 'none');
    facts.push({ label: labelOf(field), value });
  }
  if (typeof data.reason === 'string') facts.push({ label: 'Reason', value: data.reason });
  return facts;
}

function asFields(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
