import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMosquitto, type Broker, type MosquittoOptions } from './mosquitto.js';
import { temporaryDir } from './mosquitto-users.js';
import { accepts, freePort } from './ports.js';
import { waitFor } from './wait-for.js';

/**
 * Throwaway PKI for TLS tests, made with openssl in a temporary directory: a CA, a server
 * certificate for 127.0.0.1 and localhost, a client certificate from the same CA, and a second,
 * unrelated CA with its own client certificate (what an attacker or a misconfiguration brings).
 * File names match docs/mosquitto/keywarden-fleet.conf (ca.crt, server.crt, server.key).
 */
export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  /** CN = cabinetId 'test-cab', signed by ca. */
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing the broker knows. */
  otherCa: string;
  /** A client certificate signed by otherCa. */
  strangerCert: string;
  strangerKey: string;
}

let cached: TestCerts | undefined;

/** Generated on first use, then reused for the rest of the test file (about 100 ms). */
export function testCerts(): TestCerts {
  cached ??= generate();
  return cached;
}

const DAYS = '2';

function generate(): TestCerts {
  const dir = temporaryDir('keywarden-certs-');
  const file = (name: string): string => join(dir, name);
  // Our own minimal config: the result must not depend on the system's openssl.cnf.
  writeFileSync(
    file('openssl.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      '[ca]',
      'basicConstraints = critical, CA:true',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      '[server]',
      'basicConstraints = critical, CA:false',
      'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      '[client]',
      'basicConstraints = critical, CA:false',
      'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = clientAuth',
      '',
    ].join('\n'),
  );
  // Arguments are split on spaces (our file names have none); a subject goes separately.
  const openssl = (args: string, subject?: string): void => {
    const argv = args.split(' ');
    if (subject !== undefined) argv.push('-subj', `/CN=${subject}`);
    execFileSync('openssl', argv, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const key = (name: string): void =>
    openssl(`genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${name}.key`);
  const ca = (name: string, cn: string): void => {
    key(name);
    const x509 = `-x509 -days ${DAYS} -extensions ca`;
    openssl(`req -new ${x509} -config openssl.cnf -key ${name}.key -out ${name}.crt`, cn);
  };
  const issue = (name: string, cn: string, by: string, profile: 'server' | 'client'): void => {
    key(name);
    openssl(`req -new -config openssl.cnf -key ${name}.key -out ${name}.csr`, cn);
    openssl(
      `x509 -req -in ${name}.csr -CA ${by}.crt -CAkey ${by}.key -CAcreateserial -days ${DAYS} ` +
        `-extfile openssl.cnf -extensions ${profile} -out ${name}.crt`,
    );
  };
  ca('ca', 'Keywarden Test CA');
  issue('server', '127.0.0.1', 'ca', 'server');
  issue('client', 'test-cab', 'ca', 'client');
  ca('other-ca', 'Some Other CA');
  issue('stranger', 'test-cab', 'other-ca', 'client');
  return {
    dir,
    ca: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    otherCa: file('other-ca.crt'),
    strangerCert: file('stranger.crt'),
    strangerKey: file('stranger.key'),
  };
}

/** Mosquitto config lines for a TLS listener on 127.0.0.1 with the test certificates. */
export function tlsListener(
  port: number,
  certs: TestCerts,
  options: { requireCertificate: boolean },
): string {
  return [
    `listener ${port} 127.0.0.1`,
    `cafile ${certs.ca}`,
    `certfile ${certs.serverCert}`,
    `keyfile ${certs.serverKey}`,
    `require_certificate ${options.requireCertificate}`,
  ].join('\n');
}

export interface TlsBroker {
  broker: Broker;
  tlsPort: number;
  /** mqtts://127.0.0.1:<tlsPort> */
  tlsUrl: string;
}

/**
 * A test broker (test/support/mosquitto.ts, with its plain loopback listener) plus the listener
 * that `listener(port)` describes, on a free port, after `options.extraConfig`. Resolves once
 * that port accepts connections too: the harness waits only for its own.
 */
export async function startMosquittoWithListener(
  listener: (port: number) => string,
  options: MosquittoOptions = {},
): Promise<TlsBroker> {
  const tlsPort = await freePort();
  const broker = await startMosquitto({
    ...options,
    extraConfig: `${options.extraConfig ?? ''}\n${listener(tlsPort)}`,
  });
  try {
    await waitFor(() => accepts(tlsPort), `mosquitto's extra listener on port ${tlsPort}`, 5_000);
  } catch (error) {
    await broker.stop();
    throw error;
  }
  return { broker, tlsPort, tlsUrl: `mqtts://127.0.0.1:${tlsPort}` };
}
