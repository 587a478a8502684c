import type { KeywardenConfig } from '../config/config.js';
import { KeywardenError } from '../errors.js';

const PLAIN = ['mqtt:', 'ws:'];

/**
 * The daemon connects to the broker over TLS (mqtts://, wss://) unless its config says, in
 * words, that plain text is meant (`mqtt.allowPlainText: true`): the demo and the tests do.
 * Over plain text, even on loopback, whoever holds the port reads every event, `alarm.duress`
 * included, and may acknowledge them; with no broker listening, any local user can bind it. A
 * URL that is plain by mistake (the default `mqtt://127.0.0.1:1883` left in place) therefore
 * stops the start with a config error, before anything connects.
 */
export function assertTransportAllowed(config: KeywardenConfig): void {
  const { url, allowPlainText } = config.mqtt;
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (allowPlainText || protocol === undefined || !PLAIN.includes(protocol)) return;
  throw new KeywardenError(
    'CONFIG_INVALID',
    `${config.file}: mqtt.url: ${protocol}// is plain text: events, alarms and acknowledgements ` +
      'would cross it unprotected; use mqtts:// or wss:// (docs/mosquitto/README.md), or set ' +
      'mqtt.allowPlainText: true if plain text is meant (a demo, a test broker)',
  );
}
