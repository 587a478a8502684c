import { describe, expect, it } from 'vitest';
import type { NewEvent, RecordedEvent } from '../../src/domain/events.js';
import { CabinetTracker, type TrackerNotice } from '../../src/reference-server/cabinet-tracker.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';

/** `count` chained events of one cabinet database, recorded by the real EventLog. */
function recordEvents(count: number): RecordedEvent[] {
  const clock = new FakeClock();
  const log = new EventLog(openDatabase(':memory:'), 'cab-1', clock);
  const events: RecordedEvent[] = [];
  for (let i = 0; i < count; i++) {
    clock.advance(1_000);
    const event: NewEvent =
      i % 2 === 0
        ? { type: 'door.forced', data: {} }
        : { type: 'key.unknown_fob', data: { slot: i, tag: 'BEEF0042' } };
    events.push(...log.append([event]));
  }
  return events;
}

const at = (events: RecordedEvent[], seq: number): RecordedEvent => {
  const event = events[seq - 1];
  if (!event) throw new Error(`no event ${seq}`);
  return event;
};

/** Feeds events by seq, returning every notice in a compact form. */
function feed(tracker: CabinetTracker, events: RecordedEvent[], seqs: number[]): string[] {
  return seqs.flatMap((seq) => tracker.receive(at(events, seq)).map(show));
}

function show(notice: TrackerNotice): string {
  switch (notice.kind) {
    case 'event':
      return `event ${notice.event.seq}`;
    case 'duplicate':
      return `duplicate ${notice.seq}`;
    case 'conflict':
      return `conflict ${notice.seq}`;
    case 'gap':
      return `gap ${notice.from}-${notice.to}`;
    case 'chain':
      return `chain ${notice.seq} ${notice.reason}`;
  }
}

const chain = recordEvents(8);

describe('a tracker started at the acknowledged seq', () => {
  it('in order: each event once, no gap, the position follows', () => {
    const tracker = new CabinetTracker('cab-1');
    expect(tracker.start(0)).toEqual([]);
    expect(feed(tracker, chain, [1, 2, 3, 4])).toEqual([
      'event 1',
      'event 2',
      'event 3',
      'event 4',
    ]);
    expect(tracker.position).toBe(4);
    expect(tracker.firstMissing).toBeUndefined();
  });

  it('duplicates are told apart by id and handed on only once', () => {
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    expect(feed(tracker, chain, [1, 2, 2, 1, 3, 3])).toEqual([
      'event 1',
      'event 2',
      'duplicate 2',
      'duplicate 1',
      'event 3',
      'duplicate 3',
    ]);
    expect(tracker.position).toBe(3);
  });

  it('a gap: reported once, the position (what to acknowledge) stops before it', () => {
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    expect(feed(tracker, chain, [1, 2, 5])).toEqual(['event 1', 'event 2', 'event 5', 'gap 3-4']);
    expect(tracker.position).toBe(2);
    expect(tracker.firstMissing).toBe(3);
    expect(feed(tracker, chain, [6, 4])).toEqual(['event 6', 'event 4']);
    expect(tracker.position).toBe(2);
    expect(tracker.firstMissing).toBe(3);
    expect(feed(tracker, chain, [3])).toEqual(['event 3']);
    expect(tracker.position).toBe(6);
    expect(tracker.firstMissing).toBeUndefined();
  });

  it('out-of-order arrival: no chain problem once the order is restored', () => {
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    expect(feed(tracker, chain, [1, 3, 2, 5, 4])).toEqual([
      'event 1',
      'event 3',
      'gap 2-2',
      'event 2',
      'event 5',
      'gap 4-4',
      'event 4',
    ]);
    expect(tracker.position).toBe(5);
  });

  it('a replay after a gap: every seq exactly once, the chain intact', () => {
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    const notices = feed(tracker, chain, [1, 2, 4, 5, /* replay from 3: */ 3, 4, 5, 6, 7, 8]);
    expect(notices.filter((n) => n.startsWith('event'))).toEqual(
      [1, 2, 4, 5, 3, 6, 7, 8].map((seq) => `event ${seq}`),
    );
    expect(notices.filter((n) => n.startsWith('chain'))).toEqual([]);
    expect(tracker.position).toBe(8);
  });

  it('an edited event breaks its own hash', () => {
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    const edited = { ...at(chain, 2), data: { slot: 9, tag: 'BEEF0042' } } as RecordedEvent;
    tracker.receive(at(chain, 1));
    expect(tracker.receive(edited).map(show)).toEqual(['event 2', 'chain 2 hash_mismatch']);
  });

  it('an event that cannot even be encoded canonically counts as a hash mismatch', () => {
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    const odd = { ...at(chain, 1), monotonicMs: 1.5 };
    expect(tracker.receive(odd).map(show)).toEqual(['event 1', 'chain 1 hash_mismatch']);
    expect(tracker.position).toBe(1);
  });

  it('a deleted event breaks the link of the next, once the gap is closed over it', () => {
    const other = recordEvents(3); // another database: its events chain to each other, not to ours
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    feed(tracker, chain, [1, 2]);
    expect(tracker.receive(at(other, 3)).map(show)).toEqual(['event 3', 'chain 3 broken_link']);
    expect(tracker.position).toBe(3);
  });

  it('the same seq with another id is a conflict: the database was replaced', () => {
    const other = recordEvents(2);
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    feed(tracker, chain, [1, 2]);
    expect(tracker.receive(at(other, 1)).map(show)).toEqual(['conflict 1']);
    expect(tracker.receive(at(other, 2)).map(show)).toEqual(['conflict 2']);
    expect(tracker.position).toBe(2);
  });

  it('a conflict with an event still waiting beyond a gap', () => {
    const other = recordEvents(4);
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    feed(tracker, chain, [1, 4]);
    expect(tracker.receive(at(other, 4)).map(show)).toEqual(['conflict 4']);
  });
});

describe('the starting point', () => {
  it('starts where the cabinet says it was acknowledged, not at 1', () => {
    const tracker = new CabinetTracker('cab-1');
    tracker.start(5);
    expect(feed(tracker, chain, [6, 7])).toEqual(['event 6', 'event 7']);
    expect(tracker.position).toBe(7);
  });

  it('events before the acknowledged seq are handed on once, but move nothing', () => {
    const tracker = new CabinetTracker('cab-1');
    tracker.start(5);
    expect(feed(tracker, chain, [3, 3])).toEqual(['event 3', 'duplicate 3']);
    expect(tracker.position).toBe(5);
  });

  it('nothing can be acknowledged before the starting point is known', () => {
    const tracker = new CabinetTracker('cab-1');
    expect(feed(tracker, chain, [3, 4])).toEqual(['event 3', 'event 4']);
    expect(tracker.position).toBeUndefined();
    expect(tracker.firstMissing).toBeUndefined();
    expect(tracker.start(2).map(show)).toEqual([]);
    expect(tracker.position).toBe(4);
  });

  it('events that arrived first, then the start: the gaps before and between them', () => {
    const tracker = new CabinetTracker('cab-1');
    feed(tracker, chain, [3, 6]);
    expect(tracker.start(0).map(show)).toEqual(['gap 1-2', 'gap 4-5']);
    expect(tracker.position).toBe(0);
    expect(tracker.firstMissing).toBe(1);
  });

  it('only the first start counts', () => {
    const tracker = new CabinetTracker('cab-1');
    tracker.start(0);
    feed(tracker, chain, [1, 2]);
    expect(tracker.start(7)).toEqual([]);
    expect(tracker.position).toBe(2);
  });
});

it('the duplicate window: beyond it an old event is handed on again rather than kept forever', () => {
  const tracker = new CabinetTracker('cab-1', { window: 3 });
  tracker.start(0);
  feed(tracker, chain, [1, 2, 3, 4, 5]);
  expect(feed(tracker, chain, [5, 1])).toEqual(['duplicate 5', 'event 1']);
});

describe('a lost tail', () => {
  it('is missing once the cabinet announces it published more than arrived', () => {
    const tracker = new CabinetTracker('cab');
    tracker.start(0);
    expect(tracker.firstMissing).toBeUndefined();
    tracker.announce(3);
    expect(tracker.firstMissing).toBe(1);
  });
});
