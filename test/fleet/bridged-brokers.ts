import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { passwordFile, temporaryDir } from '../support/mosquitto-users.js';
import { startMosquittoWithListener, testCerts, tlsListener } from '../support/tls-certs.js';

/** The shipped files, read as they are (docs/mosquitto/; from dist/ too, for the benchmark). */
export const shipped = (name: string): string =>
  readFileSync(join(packageRoot(), 'docs', 'mosquitto', name), 'utf8');

export const CENTRAL_PASSWORD = 'central-secret';
const SITE_PASSWORD = 'site-3-secret';

export interface BridgedBrokers {
  /** The central broker: a TLS listener for the bridge, a plain loopback one for the server. */
  central: Broker;
  /** The site broker, where the cabinet connects; it runs docs/mosquitto/site-bridge.conf. */
  site: Broker;
  stop(): Promise<void>;
}

/**
 * Two real Mosquitto processes, both persistent as keywarden-fleet.conf makes them: the central
 * one with the shipped ACL (acl.strict plus the site's block from acl.site-bridge) and users
 * `central` and `site-3`, and a site broker running the shipped bridge configuration, in which
 * only what points at a real machine is replaced (the central's address, its CA, the password).
 */
export async function startBridgedBrokers(): Promise<BridgedBrokers> {
  const certs = testCerts();
  const aclDir = temporaryDir('keywarden-central-acl-');
  const acl = join(aclDir, 'acl');
  writeFileSync(acl, `${shipped('acl.strict')}\n${shipped('acl.site-bridge')}`);
  const users = passwordFile({ central: CENTRAL_PASSWORD, 'site-3': SITE_PASSWORD });
  const { broker: central, tlsPort } = await startMosquittoWithListener(
    (port) => tlsListener(port, certs, { requireCertificate: false }),
    {
      persistence: true,
      // As keywarden-fleet.conf: the central server's session may hold a whole backlog.
      extraConfig: [
        'allow_anonymous false',
        `password_file ${users}`,
        `acl_file ${acl}`,
        'max_queued_messages 100000',
      ].join('\n'),
    },
  );
  const bridge = withSettings(shipped('site-bridge.conf'), {
    address: `127.0.0.1:${tlsPort}`,
    remote_password: SITE_PASSWORD,
    bridge_cafile: certs.ca,
  });
  const site = await startMosquitto({
    persistence: true,
    // As keywarden-fleet.conf: room for the central broker's whole outage. Global options
    // come before the bridge's "connection" line.
    extraConfig: `max_queued_messages 100000\n${bridge}`,
  });
  return {
    central,
    site,
    async stop() {
      await site.stop();
      await central.stop();
    },
  };
}

/**
 * The config text with the value of each named option replaced; each must appear exactly once
 * (uncommented), so a change in the shipped file's shape fails here instead of being ignored.
 */
export function withSettings(config: string, settings: Record<string, string>): string {
  let text = config;
  for (const [option, value] of Object.entries(settings)) {
    const line = new RegExp(`^${option} .*$`, 'gm');
    const found = text.match(line)?.length ?? 0;
    if (found !== 1) throw new Error(`site-bridge.conf has ${found} "${option}" lines, not 1`);
    text = text.replace(line, `${option} ${value}`);
  }
  return text;
}
