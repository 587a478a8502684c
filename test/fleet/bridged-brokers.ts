import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { passwordFile, temporaryDir } from '../support/mosquitto-users.js';
import { startMosquittoWithListener, testCerts, tlsListener } from '../support/tls-certs.js';
import { CABINET } from './fleet-cabinet.js';

/** The shipped files, read as they are (docs/mosquitto/; from dist/ too, for the benchmark). */
export const shipped = (name: string): string =>
  readFileSync(join(packageRoot(), 'docs', 'mosquitto', name), 'utf8');

export const CENTRAL_PASSWORD = 'central-secret';
export const SITE_PASSWORD = 'site-3-secret';

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
 * only what points at a real machine is replaced (the central's address, its CA, the password)
 * and the placeholder cabinet blocks of both files name the site's cabinets (`cabinets`).
 */
export async function startBridgedBrokers(
  cabinets: readonly string[] = [CABINET],
): Promise<BridgedBrokers> {
  const certs = testCerts();
  const aclDir = temporaryDir('keywarden-central-acl-');
  const acl = join(aclDir, 'acl');
  writeFileSync(
    acl,
    `${shipped('acl.strict')}\n${forCabinets(shipped('acl.site-bridge'), cabinets)}`,
  );
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
  const bridge = withSettings(forCabinets(shipped('site-bridge.conf'), cabinets), {
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

/** The placeholder ids of the shipped files' per-cabinet blocks. */
const PLACEHOLDER = /CABINET-ID-\d+/;
/** The lines of one cabinet's block, in both files: 5 topics up, cmd/+ and ack down. */
const BLOCK_LINES = 7;

/**
 * The shipped site-bridge.conf or acl.site-bridge as an installer fills it in for a site: the
 * placeholder blocks (the uncommented lines naming CABINET-ID-n) replaced, where the first one
 * stood, by a copy of the CABINET-ID-1 block for each of the site's cabinets. Throws when the
 * block is not the expected shape, so a change in the shipped files fails here.
 */
export function forCabinets(text: string, cabinets: readonly string[]): string {
  const lines = text.split('\n');
  const isBlockLine = (line: string): boolean => !line.startsWith('#') && PLACEHOLDER.test(line);
  const block = lines.filter((line) => isBlockLine(line) && line.includes('CABINET-ID-1/'));
  if (block.length !== BLOCK_LINES) {
    throw new Error(`the CABINET-ID-1 block has ${block.length} lines, not ${BLOCK_LINES}`);
  }
  const first = lines.findIndex(isBlockLine);
  const filled = cabinets.flatMap((id) => block.map((line) => line.replace(PLACEHOLDER, id)));
  const before = lines.slice(0, first);
  const after = lines.slice(first).filter((line) => !isBlockLine(line));
  return [...before, ...filled, ...after].join('\n');
}
