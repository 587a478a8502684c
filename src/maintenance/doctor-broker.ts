import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions } from 'mqtt';
import type { KeywardenConfig } from '../config/config.js';
import { connectOptions } from '../mqtt/connect-options.js';
import { assertTransportAllowed } from '../mqtt/transport-security.js';
import { fail, ok, type CheckResult } from './doctor-report.js';

/**
 * A real connect to the broker with the cabinet's URL, TLS files and credentials, then a
 * disconnect; nothing is published or subscribed. Under a client id of its own with a clean
 * session and no will: the cabinet's id would take the running daemon's session over (the
 * broker drops the older connection) and fire its offline will.
 */
export async function checkBroker(
  config: KeywardenConfig,
  timeoutMs: number,
): Promise<CheckResult> {
  const { url } = config.mqtt;
  try {
    assertTransportAllowed(config);
  } catch {
    return fail(
      'broker',
      `${url} is plain text and mqtt.allowPlainText is not set`,
      'use an mqtts:// URL with mqtt.ca (docs/mosquitto/README.md), or set mqtt.allowPlainText: true if plain text is meant',
    );
  }
  let options: IClientOptions;
  try {
    options = probeOptions(config, timeoutMs);
  } catch (error) {
    return fail(
      'broker',
      `cannot read a TLS file: ${(error as Error).message}`,
      'point mqtt.ca, mqtt.cert and mqtt.key at files readable by this user',
    );
  }
  const outcome = await connectOnce(url, options, timeoutMs);
  if (outcome === 'connected') {
    const how = options.username === undefined ? '' : ` as ${options.username}`;
    return ok('broker', `${url} accepted a connection${how}`);
  }
  return explain(url, outcome, config);
}

function probeOptions(config: KeywardenConfig, timeoutMs: number): IClientOptions {
  const base = connectOptions(config, { topic: 'unused', payload: '' });
  const { will: _will, ...rest } = base;
  return {
    ...rest,
    clientId: `${base.clientId ?? 'keywarden'}-doctor-${randomBytes(4).toString('hex')}`,
    clean: true,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
  };
}

type Outcome = 'connected' | 'timeout' | Error;

function connectOnce(url: string, options: IClientOptions, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, options);
    let settled = false;
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end(true);
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    client.on('connect', () => finish('connected'));
    client.on('error', (error) => finish(error));
    client.on('close', () => finish(new Error('the broker closed the connection')));
  });
}

/** The error as the installer can act on it: credentials, certificates, or the network. */
function explain(
  url: string,
  outcome: Exclude<Outcome, 'connected'>,
  config: KeywardenConfig,
): CheckResult {
  if (outcome === 'timeout') {
    return fail(
      'broker',
      `${url} did not answer within the timeout`,
      'check the host and port in mqtt.url and that a firewall lets this machine reach it',
    );
  }
  const code = (outcome as { code?: unknown }).code;
  const message = outcome.message;
  // MQTT 5 CONNACK reason codes 134 (bad user name or password) and 135 (not authorised); 4
  // and 5 in MQTT 3.1.1. Mosquitto answers "not authorised" to a wrong password too.
  const refused =
    code === 134 ||
    code === 135 ||
    code === 4 ||
    code === 5 ||
    /bad user ?name or password|not authori[sz]ed/i.test(message);
  if (refused && config.mqtt.username !== undefined) {
    return fail(
      'broker',
      `${url} refused the user name ${JSON.stringify(config.mqtt.username)} with its password (${message})`,
      "set mqtt.username and mqtt.password to the cabinet's account in the broker's password file (mosquitto_passwd), then check its ACL",
    );
  }
  if (refused) {
    return fail(
      'broker',
      `${url} refused this client (${message})`,
      'the broker requires an account: set mqtt.username and mqtt.password, or mqtt.cert and mqtt.key for a client certificate',
    );
  }
  if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
    const expired = code === 'CERT_HAS_EXPIRED';
    return fail(
      'broker',
      `${url}: TLS refused the broker's certificate (${code}: ${message})`,
      expired
        ? "renew the expired certificate (the broker's, or the CA in mqtt.ca), then restart the broker"
        : `set mqtt.ca to the CA that signed the broker's certificate${config.mqtt.ca ? ` (now ${config.mqtt.ca})` : ''}`,
    );
  }
  if (code === 'ECONNREFUSED') {
    return fail(
      'broker',
      `${url} refused the connection: nothing listens there`,
      'start the broker (sudo systemctl start mosquitto) or correct the port in mqtt.url',
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return fail(
      'broker',
      `${url}: the host name does not resolve`,
      'correct the host in mqtt.url or the DNS',
    );
  }
  return fail(
    'broker',
    `${url}: ${message}${typeof code === 'string' || typeof code === 'number' ? ` (${code})` : ''}`,
    "check mqtt.url, the TLS files and the credentials against the broker's log",
  );
}
