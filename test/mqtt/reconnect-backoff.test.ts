import { performance } from 'node:perf_hooks';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { attachReconnectBackoff } from '../../src/mqtt/reconnect-backoff.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { waitFor } from '../support/wait-for.js';

const brokers: Broker[] = [];
const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

/** Nothing listens on port 1: every attempt is refused at once. */
const NOWHERE = 'mqtt://127.0.0.1:1';
const NO_JITTER = (): number => 0.5;

function client(url: string, options: IClientOptions = {}): MqttClient {
  const c = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 1000, ...options });
  c.on('error', () => undefined); // refused attempts are expected here
  clients.push(c);
  return c;
}

/**
 * Records, at every 'close', the reconnectPeriod MQTT.js has just armed its timer with (its own
 * 'close' listener runs first), and the time of every 'reconnect' (an attempt starting).
 */
function watch(c: MqttClient): { armed: number[]; attempts: number[]; reset(): void } {
  const w = {
    armed: [] as number[],
    attempts: [] as number[],
    reset(): void {
      w.armed.length = 0;
      w.attempts.length = 0;
    },
  };
  c.on('close', () => w.armed.push(c.options.reconnectPeriod ?? Number.NaN));
  c.on('reconnect', () => w.attempts.push(performance.now()));
  return w;
}

const connected = (c: MqttClient): Promise<void> =>
  new Promise((resolve) => c.once('connect', () => resolve()));

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - (times[i] ?? t));

describe('attachReconnectBackoff', () => {
  it('doubles the wait after each failed attempt up to the cap, and starts again from the initial wait after a reconnect', async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const c = client(broker.url);
    attachReconnectBackoff(c, { initialMs: 50, maxMs: 400, random: NO_JITTER });
    await connected(c);
    const w = watch(c);

    await broker.stop();
    await waitFor(() => w.attempts.length >= 6, 'six reconnect attempts');
    expect(w.armed.slice(0, 6)).toEqual([50, 100, 200, 400, 400, 400]);
    // MQTT.js really waited that long: a timer never fires early (2 ms: libuv counts whole ms).
    const measured = gaps(w.attempts).slice(0, 5);
    measured.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual((w.armed[i + 1] ?? 0) - 2));
    // At the cap it stopped doubling (800 ms would be the next step).
    for (const gap of measured.slice(2)) expect(gap).toBeLessThan(800);

    const back = connected(c);
    await broker.restart();
    await back;
    expect(c.options.reconnectPeriod).toBe(50);

    w.reset();
    const lostAt = performance.now();
    await broker.stop();
    await waitFor(() => w.attempts.length >= 2, 'two attempts in the second outage');
    expect(w.armed.slice(0, 2)).toEqual([50, 100]);
    expect((w.attempts[0] ?? Infinity) - lostAt).toBeLessThan(400);
  });

  it.each([
    { random: 0, maxMs: 400, armed: [40, 80, 160, 320, 320] },
    { random: 0.999999, maxMs: 400, armed: [60, 120, 240, 400, 400] },
    { random: 0.5, maxMs: 10, armed: [50, 50, 50, 50, 50] },
  ])(
    'with random() = $random and maxMs $maxMs, waits $armed: jitter of up to a fifth, never above maxMs, which is at least initialMs',
    async ({ random, maxMs, armed }) => {
      const c = client(NOWHERE);
      const w = watch(c);
      attachReconnectBackoff(c, { initialMs: 50, maxMs, random: () => random });
      await waitFor(() => w.armed.length >= armed.length, `${armed.length} refused attempts`);
      expect(w.armed.slice(0, armed.length)).toEqual(armed);
    },
  );

  it('leaves reconnecting off once reconnectPeriod is set to 0', async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const c = client(broker.url);
    attachReconnectBackoff(c, { initialMs: 50, maxMs: 400, random: NO_JITTER });
    await connected(c);
    c.options.reconnectPeriod = 0;
    c.reconnect(); // emits 'reconnect', then 'connect' again
    await connected(c);
    expect(c.options.reconnectPeriod).toBe(0);
  });

  it('stops adjusting the period once detached', async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const c = client(broker.url);
    const listeners = [c.listenerCount('reconnect'), c.listenerCount('connect')];
    const detach = attachReconnectBackoff(c, { initialMs: 50, maxMs: 400, random: NO_JITTER });
    await connected(c);
    detach();
    expect([c.listenerCount('reconnect'), c.listenerCount('connect')]).toEqual(listeners);
    c.options.reconnectPeriod = 1234;
    c.reconnect();
    await connected(c);
    expect(c.options.reconnectPeriod).toBe(1234);
  });

  it.each([
    { initialMs: 0, maxMs: 400 },
    { initialMs: Number.NaN, maxMs: 400 },
    { initialMs: 50, maxMs: Number.POSITIVE_INFINITY },
  ])('refuses initialMs $initialMs with maxMs $maxMs', ({ initialMs, maxMs }) => {
    const c = mqtt.connect(NOWHERE, { manualConnect: true }); // never connects: nothing to end
    expect(() => attachReconnectBackoff(c, { initialMs, maxMs })).toThrow(RangeError);
  });
});
