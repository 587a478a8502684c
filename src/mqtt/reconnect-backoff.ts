import type { MqttClient } from 'mqtt';

export interface ReconnectBackoffOptions {
  /** Wait before the first attempt after the connection is lost, and again after each connect. */
  initialMs: number;
  /** Longest wait between attempts. Below initialMs it counts as initialMs (no growth). */
  maxMs: number;
  /** Uniform in [0, 1); Math.random unless a test fixes it. */
  random?: () => number;
}

/** Each wait is spread by up to ±20%: a fleet that lost its broker together returns spread out. */
export const RECONNECT_JITTER = 0.2;

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Exponential back-off for MQTT.js, which itself only knows a fixed `reconnectPeriod`.
 *
 * MQTT.js (v5) takes the wait from `client.options.reconnectPeriod` in one place,
 * `_setupReconnect`: when a connection or a connection attempt closes, its own 'close'
 * listener (registered in the constructor, so it runs before any of ours) arms the timer with
 * the value of that moment. The timer's expiry emits 'reconnect' and starts the attempt, whose
 * connect() clears the timer; a failed attempt closes and arms the next one. So:
 * - on 'reconnect' an attempt has just started; if it fails, its 'close' arms the next timer,
 *   so this is where the wait after a failure is doubled (capped at maxMs);
 * - on 'connect' the wait goes back to initialMs, ready for the next loss.
 * 'close' itself is too late for the wait it ends (MQTT.js has already read the period), and
 * 'offline' fires only once per outage.
 *
 * A reconnectPeriod of 0 means someone turned reconnecting off; it is left at 0.
 * Returns a function that detaches the back-off (the period stays as it last was).
 */
export function attachReconnectBackoff(
  client: MqttClient,
  options: ReconnectBackoffOptions,
): () => void {
  const { initialMs, random = Math.random } = options;
  positive('initialMs', initialMs);
  positive('maxMs', options.maxMs);
  // setInterval treats anything above 2^31 - 1 ms as 1 ms.
  const maxMs = Math.min(Math.max(options.maxMs, initialMs), MAX_TIMER_MS);
  let base = initialMs;

  const apply = (): void => {
    const spread = 1 - RECONNECT_JITTER + 2 * RECONNECT_JITTER * random();
    client.options.reconnectPeriod = Math.max(1, Math.min(maxMs, Math.round(base * spread)));
  };
  const onReconnect = (): void => {
    if (client.options.reconnectPeriod === 0) return;
    base = Math.min(maxMs, base * 2);
    apply();
  };
  const onConnect = (): void => {
    if (client.options.reconnectPeriod === 0) return;
    base = initialMs;
    apply();
  };

  if (client.options.reconnectPeriod !== 0) apply();
  client.on('reconnect', onReconnect);
  client.on('connect', onConnect);
  return () => {
    client.off('reconnect', onReconnect);
    client.off('connect', onConnect);
  };
}

function positive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0))
    throw new RangeError(`reconnect back-off: ${name} must be a positive number, not ${value}`);
}
