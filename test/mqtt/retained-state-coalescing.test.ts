import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { RetainedState } from '../../src/mqtt/retained-state.js';

/** Just enough of an MQTT client: connected, and every publish recorded. */
class CountingClient extends EventEmitter {
  connected = true;
  readonly sent: Array<{ topic: string; payload: string }> = [];
  publish(topic: string, payload: string, _opts: unknown, done: (err?: Error) => void): void {
    this.sent.push({ topic, payload });
    done();
  }
}

let client: CountingClient;
let retained: RetainedState;
let counter = 0;

beforeEach(() => {
  vi.useFakeTimers();
  client = new CountingClient();
  retained = new RetainedState(client as unknown as MqttClient, silentLogger());
  counter = 0;
  retained.track('status', () => `n=${counter}`, { minIntervalMs: 1_000 });
  retained.track('alarms', () => `alarms=${Math.floor(counter / 100)}`);
});
afterEach(() => vi.useRealTimers());

const sentOn = (topic: string) =>
  client.sent.filter((m) => m.topic === topic).map((m) => m.payload);

it('publishes the first change at once, then the latest state at most once a second', () => {
  for (let ms = 0; ms < 5_000; ms += 10) {
    counter++;
    retained.refresh();
    vi.advanceTimersByTime(10);
  }
  const statuses = sentOn('status');
  expect(statuses[0]).toBe('n=1');
  expect(statuses.length).toBeLessThanOrEqual(6);
  vi.advanceTimersByTime(1_000);
  expect(sentOn('status').at(-1)).toBe('n=500'); // the end state is never held back for good
  expect(sentOn('status').length).toBeLessThanOrEqual(6);
});

it('leaves topics without an interval alone: each change goes out', () => {
  for (let i = 0; i < 500; i++) {
    counter++;
    retained.refresh();
  }
  expect(sentOn('alarms')).toEqual([
    'alarms=0',
    'alarms=1',
    'alarms=2',
    'alarms=3',
    'alarms=4',
    'alarms=5',
  ]);
});

it('sends nothing when the interval ends with no change held', () => {
  counter++;
  retained.refresh();
  vi.advanceTimersByTime(5_000);
  expect(sentOn('status')).toEqual(['n=1']);
});

it('publishes at once on a reconnect, cooldown or not', () => {
  counter++;
  retained.refresh();
  counter++;
  retained.refresh(); // held: within the second
  client.emit('connect');
  expect(sentOn('status')).toEqual(['n=1', 'n=2']);
});

it('drops what is held on stop, so nothing follows the offline status', () => {
  counter++;
  retained.refresh();
  counter++;
  retained.refresh();
  retained.stop();
  vi.advanceTimersByTime(5_000);
  expect(sentOn('status')).toEqual(['n=1']);
});
