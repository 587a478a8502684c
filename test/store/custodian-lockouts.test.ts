import { describe, expect, it } from 'vitest';
import type { LockoutRef, NewEvent } from '../../src/domain/events.js';
import { activeLockouts } from '../../src/store/custodian/lockouts.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';

const START = Date.parse('2026-11-24T09:00:00Z');
const reader = { subject: 'reader' as const };
const card3 = { subject: 'credential' as const, credentialId: 3, holderId: 1 };
const started = (ref: LockoutRef, seconds: number): NewEvent => ({
  type: 'lockout.started',
  data: { ...ref, attempts: 3, level: 1, durationSeconds: seconds },
});

function cabinet() {
  const db = openDatabase(':memory:');
  const clock = new FakeClock(START);
  return { db, clock, log: new EventLog(db, 'cab', clock) };
}

describe('active lockouts, derived from the event log', () => {
  it('a started lockout is active until its duration ends, or a later end or clear of the same subject', () => {
    const { db, clock, log } = cabinet();
    log.append([started(reader, 10), started(card3, 60)]);
    expect(activeLockouts(db, new Date(START + 5_000))).toEqual([
      {
        subject: 'reader',
        level: 1,
        since: '2026-11-24T09:00:00.000Z',
        until: '2026-11-24T09:00:10.000Z',
      },
      { ...card3, level: 1, since: '2026-11-24T09:00:00.000Z', until: '2026-11-24T09:01:00.000Z' },
    ]);
    // Past its duration: gone even without lockout.ended (the daemon may have stopped).
    expect(activeLockouts(db, new Date(START + 10_000)).map((l) => l.subject)).toEqual([
      'credential',
    ]);
    clock.advance(1_000);
    log.append([
      { type: 'lockout.cleared', data: { ...card3, actor: { kind: 'custodian', account: 'c' } } },
    ]);
    expect(activeLockouts(db, new Date(START + 5_000)).map((l) => l.subject)).toEqual(['reader']);
    log.append([{ type: 'lockout.ended', data: reader }]);
    expect(activeLockouts(db, new Date(START + 5_000))).toEqual([]);
  });

  it('a daemon restart does not end a lockout (the daemon restores them at start)', () => {
    const { db, log } = cabinet();
    log.append([started(reader, 600)]);
    expect(activeLockouts(db, new Date(START + 1_000))).toHaveLength(1);
    log.append([{ type: 'cabinet.started', data: { version: '0', profile: 'sim' } }]);
    expect(activeLockouts(db, new Date(START + 1_000))).toHaveLength(1);
    log.append([started(card3, 600)]);
    expect(activeLockouts(db, new Date(START + 1_000)).map((l) => l.subject)).toEqual([
      'reader',
      'credential',
    ]);
  });
});
