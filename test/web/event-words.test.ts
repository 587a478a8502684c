import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { EventType } from '../../src/domain/events.js';
import {
  EVENT_WORDS,
  eventFacts,
  eventTypeWords,
  type EventNames,
  type EventTypeName,
} from '../../src/web/ui/console/pages/event-words.js';

/**
 * The event log in words. The console's pages may import nothing outside src/web/ui/, so the
 * list of types is written there again: these checks make a type added to the contract (the
 * domain's union and docs/schemas/event.json, which integrators read) fail here until it has
 * its words.
 */
const CONTRACT_TYPES = (
  JSON.parse(readFileSync('docs/schemas/event.json', 'utf8')) as {
    properties: { type: { enum: string[] } };
  }
).properties.type.enum;

const NAMES: EventNames = {
  holders: { '4': 'Bob Builder', '9': 'Dana Contractor' },
  keys: { '2': 'K-02 Van' },
  groups: { '3': 'Night shift' },
  keySets: { '5': 'Vans' },
  schedules: { '6': 'Weekdays' },
};

describe('event types in words', () => {
  it('has words for every type of the contract, and for no other', () => {
    expectTypeOf<EventTypeName>().toEqualTypeOf<EventType>();
    expect(Object.keys(EVENT_WORDS).sort()).toEqual([...CONTRACT_TYPES].sort());
  });

  it('says each type differently, in words rather than the code', () => {
    const words = Object.values(EVENT_WORDS);
    expect(new Set(words).size).toBe(words.length);
    for (const [type, text] of Object.entries(EVENT_WORDS)) {
      expect(text, type).toMatch(/^[A-Z][A-Za-z]*[ ,]/);
      expect(text, type).not.toContain('.');
      expect(text, type).not.toContain('_');
    }
    expect(EVENT_WORDS['key.checked_out']).toBe('Key taken');
    expect(EVENT_WORDS['door.forced']).toBe('Door forced open');
    expect(EVENT_WORDS['alarm.acknowledged']).toBe('Alarm acknowledged');
  });

  it('shows a type this page does not know as it was recorded, rather than nothing', () => {
    expect(eventTypeWords('future.thing')).toBe('future.thing');
  });
});

describe('event details in words', () => {
  it('says a policy change: what, from what to what, with names', () => {
    const facts = eventFacts(
      {
        type: 'policy.changed',
        data: {
          actor: { kind: 'custodian', account: 'maria@web-console' },
          entity: 'group',
          id: '3',
          change: 'updated',
          before: { name: 'Night crew', maxLoanMinutes: null },
          after: { name: 'Night shift', maxLoanMinutes: 240 },
        },
      },
      NAMES,
    );
    expect(facts).toEqual([
      { label: 'Changed', value: 'group Night shift' },
      { label: 'Name', value: 'from Night crew to Night shift' },
      { label: 'Loan limit (minutes)', value: 'from none to 240' },
    ]);
  });

  it('names people, keys, groups, key sets and schedules of a change by name, never by id', () => {
    const member = eventFacts(
      {
        type: 'policy.changed',
        data: {
          entity: 'group_member',
          id: '3:4',
          change: 'added',
          before: null,
          after: { groupId: 3, holderId: 4 },
        },
      },
      NAMES,
    );
    expect(member[0]).toEqual({ label: 'Added', value: 'Bob Builder in group Night shift' });
    expect(member).toContainEqual({ label: 'Group', value: 'Night shift' });
    const grant = eventFacts(
      {
        type: 'policy.changed',
        data: {
          entity: 'grant',
          id: '7',
          change: 'removed',
          before: { groupId: 3, keySetId: 5, scheduleId: 6 },
          after: null,
        },
      },
      NAMES,
    );
    expect(grant.map((f) => f.value)).toEqual(['grant 7', 'Night shift', 'Vans', 'Weekdays']);
    // An id the page has no name for still reads as what it is.
    const unknown = eventFacts(
      { type: 'policy.changed', data: { entity: 'key', id: '99', change: 'added', after: {} } },
      NAMES,
    );
    expect(unknown[0]?.value).toBe('key key 99');
  });

  it('leaves out what has a column of its own, and puts the rest in words', () => {
    const facts = eventFacts(
      {
        type: 'access.denied',
        data: { reason: 'holder_expired', card: '…0042', holderId: 9, credentialId: 12 },
      },
      NAMES,
    );
    expect(facts).toEqual([
      { label: 'Reason', value: 'holder expired' },
      { label: 'Card', value: '…0042' },
      { label: 'Card record', value: '12' },
    ]);
    expect(
      eventFacts({ type: 'key.checked_in', data: { durationSeconds: 5400, returnedBy: 4 } }, NAMES),
    ).toEqual([
      { label: 'Out for', value: '90 min' },
      { label: 'Returned by', value: 'Bob Builder' },
    ]);
  });
});
