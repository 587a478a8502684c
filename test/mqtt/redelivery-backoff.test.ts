import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import type { OutboxPublisher } from '../../src/mqtt/outbox-publisher.js';
import { Redelivery } from '../../src/mqtt/redelivery.js';
import type { EventLog } from '../../src/store/event-log.js';

/**
 * When the cabinet sends again: the timing rules of Redelivery on fake timers, with an outbox
 * that "publishes" at once. The real broker and server are in unacknowledged-events-are-sent-again.
 */
let acked = 0;
let lastSeq = 0;
const resends: Array<{ fromSeq: number; at: number }> = [];
let publisher: EventEmitter & { notify(): void };
let client: EventEmitter & { connected: boolean };

beforeEach(() => {
  vi.useFakeTimers();
  acked = 0;
  lastSeq = 0;
  resends.length = 0;
  client = Object.assign(new EventEmitter(), { connected: true });
  publisher = Object.assign(new EventEmitter(), {
    // The outbox sends everything unsent again at once.
    notify: () => publisher.emit('published', range(resends.at(-1)!.fromSeq, lastSeq)),
  });
  const log = {
    ackedSeq: () => acked,
    requeueFrom: (fromSeq: number) => {
      resends.push({ fromSeq, at: Date.now() });
      return lastSeq - fromSeq + 1;
    },
  };
  new Redelivery({
    client: client as unknown as MqttClient,
    log: log as unknown as EventLog,
    publisher: publisher as unknown as OutboxPublisher,
    logger: silentLogger(),
    afterMs: 10_000,
    maxAfterMs: 40_000,
    now: () => Date.now(),
  });
});
afterEach(() => vi.useRealTimers());

function publish(count: number): void {
  const seqs = range(lastSeq + 1, lastSeq + count);
  lastSeq += count;
  publisher.emit('published', seqs);
}

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

it('sends nothing again while the server acknowledges in time', () => {
  for (let i = 0; i < 30; i++) {
    publish(10);
    vi.advanceTimersByTime(2_000);
    acked = lastSeq;
  }
  vi.advanceTimersByTime(60_000);
  expect(resends).toEqual([]);
});

it('sends everything after the acknowledged seq again once it is overdue, in order from there', () => {
  publish(5);
  vi.advanceTimersByTime(3_000);
  acked = 2; // the server holds 1-2; 3-5 were lost on the way
  vi.advanceTimersByTime(6_999);
  expect(resends).toEqual([]);
  vi.advanceTimersByTime(1);
  expect(resends.map((r) => r.fromSeq)).toEqual([3]);
});

it('waits twice as long after each resend that brings nothing, up to the longest wait', () => {
  const start = Date.now();
  publish(3);
  vi.advanceTimersByTime(200_000);
  expect(resends.map((r) => (r.at - start) / 1000)).toEqual([10, 30, 70, 110, 150, 190]);
  acked = 1; // the server is back: the wait starts again from the shortest
  vi.advanceTimersByTime(40_000);
  expect(resends.at(-1)).toEqual({ fromSeq: 2, at: start + 230_000 });
  vi.advanceTimersByTime(20_000); // still nothing: twice the shortest wait
  expect(resends.at(-1)).toEqual({ fromSeq: 2, at: start + 250_000 });
});

it('waits only while connected, and sends what is overdue as soon as it is back', () => {
  publish(3);
  client.connected = false;
  client.emit('close');
  vi.advanceTimersByTime(60_000);
  expect(resends).toEqual([]);
  client.connected = true;
  client.emit('connect');
  vi.advanceTimersByTime(0);
  expect(resends.map((r) => r.fromSeq)).toEqual([1]);
});
