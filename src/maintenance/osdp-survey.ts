import type { Reply } from '../../drivers/osdp/replies.js';
import type { OsdpBusSpec } from '../config/profile.js';
import type { OsdpMaintenance } from '../daemon/osdp-maintenance.js';

/** Long enough for a reader to answer and finish a Secure Channel handshake (offline after 8 s). */
export const OSDP_ONLINE_WAIT_MS = 9_000;

/** What one reader of the profile said when the bus was opened for it. */
export type OsdpReaderAnswer =
  | { reader: OsdpBusSpec['readers'][number]; online: false }
  | {
      reader: OsdpBusSpec['readers'][number];
      online: true;
      secured: boolean;
      /** Its reply to ID (PDID), or why there was none. */
      identity: Reply | Error;
      /** Its reply to LSTAT (LSTATR), or why there was none. */
      localStatus: Reply | Error;
    };

/**
 * The one-shot exchange with the profile's OSDP readers, on a bus opened by the command line
 * (osdp-maintenance.ts): waits up to `waitMs` for each to come online (secured when the profile
 * secures the bus), then asks each that did who it is (ID) and its tamper and power (LSTAT).
 * `keywarden osdp status` prints it; `keywarden doctor` judges it.
 */
export async function surveyOsdpReaders(
  session: OsdpMaintenance,
  waitMs: number,
): Promise<OsdpReaderAnswer[]> {
  const readers = session.spec.readers;
  const online = await session.waitOnline(
    readers.map((r) => r.address),
    waitMs,
  );
  const answers: OsdpReaderAnswer[] = [];
  for (const reader of readers) {
    if (!online.has(reader.address)) {
      answers.push({ reader, online: false });
      continue;
    }
    const secured = session.secured.get(reader.address) === true;
    const identity = await ask(session, reader.address, { kind: 'ID' });
    const localStatus = await ask(session, reader.address, { kind: 'LSTAT' });
    answers.push({ reader, online: true, secured, identity, localStatus });
  }
  return answers;
}

async function ask(
  session: OsdpMaintenance,
  address: number,
  command: { kind: 'ID' } | { kind: 'LSTAT' },
): Promise<Reply | Error> {
  try {
    return await session.bus.send(address, command);
  } catch (error) {
    return error as Error;
  }
}

export function describeIdentity(reply: Reply | Error): string {
  if (reply instanceof Error || reply.kind !== 'PDID') return 'identity not given';
  const { vendorCode, model, version, serialNumber, firmware } = reply.identity;
  return (
    `vendor ${Buffer.from(vendorCode).toString('hex').toUpperCase()} model ${model} ` +
    `version ${version} serial ${serialNumber} firmware ${firmware.major}.${firmware.minor}.${firmware.build}`
  );
}

export function describeLocalStatus(reply: Reply | Error): string {
  if (reply instanceof Error || reply.kind !== 'LSTATR') return 'tamper and power not given';
  return `tamper ${reply.tamper ? 'ACTIVE' : 'normal'}, power ${reply.powerFailure ? 'FAILED' : 'normal'}`;
}
