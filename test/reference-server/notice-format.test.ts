import { expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/domain/events.js';
import { formatNotice } from '../../src/reference-server/notice-format.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';

const clock = new FakeClock();
clock.synced = false;
const [event] = new EventLog(openDatabase(':memory:'), 'cab-1', clock).append([
  { type: 'key.unknown_fob', data: { slot: 12, tag: 'BEEF0042' } },
]) as [RecordedEvent];

it('an event: cabinet, seq, type, time, the clock warning, and its data', () => {
  expect(formatNotice({ kind: 'event', cabinetId: 'cab-1', event })).toBe(
    `cab-1 #1 key.unknown_fob ${event.time} (clock not synchronised) {"slot":12,"tag":"BEEF0042"}`,
  );
});

it('trouble stands out with "!!"; duplicates are not printed', () => {
  const trouble = [
    formatNotice({ kind: 'gap', cabinetId: 'cab-1', from: 3, to: 5 }),
    formatNotice({ kind: 'gap', cabinetId: 'cab-1', from: 3, to: 3 }),
    formatNotice({ kind: 'chain', cabinetId: 'cab-1', seq: 4, reason: 'broken_link' }),
    formatNotice({ kind: 'chain', cabinetId: 'cab-1', seq: 4, reason: 'hash_mismatch' }),
    formatNotice({ kind: 'conflict', cabinetId: 'cab-1', seq: 2, id: 'b', knownId: 'a' }),
    formatNotice({ kind: 'invalid', topic: 't', problems: ['seq: is required'] }),
    formatNotice({
      kind: 'reply',
      cabinetId: 'cab-1',
      reply: {
        commandId: 'c',
        name: 'replay',
        status: 'rejected',
        reason: 'expired',
        message: 'late',
      },
    }),
  ];
  expect(trouble).toEqual([
    '!! cab-1: GAP: #3..#5 missing',
    '!! cab-1: GAP: #3 missing',
    '!! cab-1 #4: CHAIN BROKEN: its prevHash is not the hash of #3',
    '!! cab-1 #4: CHAIN BROKEN: the event does not match its own hash',
    "!! cab-1 #2: ANOTHER EVENT WITH THIS SEQ (id b, before a): the cabinet's database was replaced or restored",
    '!! t: does not match the contract: seq: is required',
    '!! cab-1: replay c rejected expired: late',
  ]);
  expect(formatNotice({ kind: 'duplicate', cabinetId: 'cab-1', seq: 1, id: 'a' })).toBeUndefined();
});

it('status, acknowledgements, replays and ok replies', () => {
  const status = {
    state: 'online',
    version: '0.1.0',
    startedAt: 'T',
    outboxDepth: 0,
    lastAckedSeq: 7,
  };
  expect(formatNotice({ kind: 'status', cabinetId: 'cab-1', status })).toBe(
    'cab-1: online (Keywarden 0.1.0, started T, outbox 0, acknowledged #7)',
  );
  const will = { state: 'offline', version: '0.1.0', startedAt: 'T' };
  expect(formatNotice({ kind: 'status', cabinetId: 'cab-1', status: will })).toBe(
    'cab-1: offline (Keywarden 0.1.0, started T)',
  );
  expect(formatNotice({ kind: 'ack', cabinetId: 'cab-1', seq: 9 })).toBe(
    'cab-1: acknowledged up to #9',
  );
  expect(formatNotice({ kind: 'replay', cabinetId: 'cab-1', fromSeq: 3, commandId: 'c' })).toBe(
    'cab-1: asked for a replay from #3 (command c)',
  );
  const ok = { commandId: 'c', name: 'ping', status: 'ok', result: { lastSeq: 9 } };
  expect(formatNotice({ kind: 'reply', cabinetId: 'cab-1', reply: ok })).toBe(
    'cab-1: ping c ok {"lastSeq":9}',
  );
});
