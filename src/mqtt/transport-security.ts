import type { KeywardenConfig } from '../config/config.js';
import { KeywardenError } from '../errors.js';

/** The TLS protocols of the four the config accepts (mqtt:, ws: are the plain ones). */
const ENCRYPTED = ['mqtts:', 'wss:'];

/**
 * The daemon connects to the broker over TLS (mqtts://, wss://) unless its config says, in
 * words, that plain text is meant (`mqtt.allowPlainText: true`): the demo and the tests do.
 * Over plain text, even on loopback, whoever holds the port reads every event, `alarm.duress`
 * included, and may acknowledge them; with no broker listening, any local user can bind it. A
 * URL that is plain by mistake (the default `mqtt://127.0.0.1:1883` left in place) therefore
 * stops the start with a config error, before anything connects: only TLS passes without the
 * opt-in, checked as an allow-list so that a protocol added to the config's later is refused
 * until it is known to be TLS. (MQTT.js's other plain spellings, such as `tcp://`, are already
 * refused by the config's schema.)
 */
export function assertTransportAllowed(config: KeywardenConfig): void {
  const { url, allowPlainText } = config.mqtt;
  if (allowPlainText) return;
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol !== undefined && ENCRYPTED.includes(protocol)) return;
  const what =
    protocol === undefined ? 'is not a URL the cabinet can check' : `${protocol}// is plain text`;
  throw new KeywardenError(
    'CONFIG_INVALID',
    `${config.file}: mqtt.url: ${what}: events, alarms and acknowledgements ` +
      'would cross it unprotected; use mqtts:// or wss:// (docs/mosquitto/README.md), or set ' +
      'mqtt.allowPlainText: true if plain text is meant (a demo, a test broker)',
  );
}
