import { setTimeout as sleep } from 'node:timers/promises';
import type { MqttClient } from 'mqtt';

/**
 * Ends an MQTT.js client in bounded time. A graceful `end()` waits without limit for every
 * QoS 1 publish still unconfirmed, then for the socket to close: with the broker gone or hung
 * that can be never, and a stop that never returns is worse than a lost confirmation (the
 * peer sends again: events are redelivered, acknowledgements re-sent). So `last` (the caller's
 * final publishes) and the unconfirmed publishes get `ms` to settle and the connection a
 * graceful close; whatever is left then is dropped with `end(true)`. A client that is not
 * connected has nothing that can be confirmed: it ends at once.
 */
export async function endWithin(
  client: MqttClient,
  ms: number,
  last: Promise<unknown> = Promise.resolve(),
): Promise<'graceful' | 'forced'> {
  const cancel = new AbortController();
  const bound = sleep(ms, 'bound' as const, { signal: cancel.signal }).catch(
    () => 'bound' as const,
  );
  const graceful = async (): Promise<'graceful' | 'bound'> => {
    await last;
    if (cancel.signal.aborted) return 'bound'; // ended by force meanwhile: nothing more to do
    if (Object.keys(client.outgoing).length > 0) {
      await new Promise<void>((resolve) => {
        client.once('outgoingEmpty', resolve);
        cancel.signal.addEventListener('abort', () => client.off('outgoingEmpty', resolve));
      });
    }
    await client.endAsync();
    return 'graceful';
  };
  try {
    if (client.connected) {
      const ending = graceful().catch(() => 'bound' as const);
      if ((await Promise.race([ending, bound])) === 'graceful') return 'graceful';
      // A graceful end already under way ignores a second end(): it waits for the socket's
      // close, which destroying the socket brings at once.
      if (client.disconnecting) {
        client.stream.destroy();
        await ending;
        return 'forced';
      }
    }
    await client.endAsync(true);
    return 'forced';
  } finally {
    cancel.abort();
  }
}
