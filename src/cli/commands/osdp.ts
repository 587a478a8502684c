import { wholeNumber } from '../../app/values.js';
import { OSDP_PROFILE_BAUD_RATES } from '../../config/profile-checks.js';
import type { OsdpMaintenance, OsdpMaintenanceOptions } from '../../daemon/osdp-maintenance.js';
import { KeywardenError } from '../../errors.js';
import { createLogger } from '../../log/logger.js';
import {
  describeIdentity,
  describeLocalStatus,
  OSDP_ONLINE_WAIT_MS,
  surveyOsdpReaders,
} from '../../maintenance/osdp-survey.js';
import { requireOption, type Command, type CommandIo } from '../command.js';
import { loadSetup } from '../context.js';
import { EXIT } from '../exit-codes.js';

/**
 * The OSDP bus from the command line, for the installer: which readers answer, and moving a
 * reader to another address or speed (COMSET). The daemon owns the bus while it runs, so these
 * open it themselves and are refused while a daemon holds the cabinet (osdp-maintenance.ts).
 * Not a custodian-socket request: re-addressing a reader takes the cabinet's badge reader off
 * the bus, and no custodian role needs that power; whoever may stop the daemon and read its
 * key file already holds it.
 */

export interface OsdpCommandParts {
  /** How the bus is opened; tests give a fake link and a short wait. */
  link?: OsdpMaintenanceOptions['link'];
  factory?: OsdpMaintenanceOptions['factory'];
  onlineWaitMs?: number;
}

export function osdpCommands(parts: OsdpCommandParts = {}): Command[] {
  const waitMs = parts.onlineWaitMs ?? OSDP_ONLINE_WAIT_MS;
  // `askOnly`: status only asks, so in install mode it keys no reader (osdp-maintenance.ts).
  const open = async (
    args: Parameters<Command['run']>[0],
    askOnly = false,
  ): Promise<OsdpMaintenance> => {
    const { config, profile } = loadSetup(args);
    const logger = createLogger({ level: 'warn' });
    // Loaded here, not with the CLI: the serial library must not load for every command (the
    // daemon's start takes the cabinet lock before it touches serialport or MQTT).
    const { openOsdpMaintenance } = await import('../../daemon/osdp-maintenance.js');
    return openOsdpMaintenance({
      config,
      profile,
      logger,
      askOnly,
      ...(parts.link ? { link: parts.link } : {}),
      ...(parts.factory ? { factory: parts.factory } : {}),
    });
  };
  return [
    {
      path: ['osdp', 'status'],
      summary: "which of the profile's OSDP readers answer, secured or not, and what they are",
      usage: 'osdp status [--config <file>]   (with the daemon stopped)',
      async run(args, io) {
        const session = await open(args, true);
        try {
          return await status(session, waitMs, io);
        } finally {
          await session.close();
        }
      },
    },
    {
      path: ['osdp', 'comset'],
      summary: 'move an OSDP reader to another address or speed (then edit the profile to match)',
      usage:
        'osdp comset --address <0-126> --new-address <0-126> --baud <rate> [--config <file>]   ' +
        `(with the daemon stopped; rate: ${OSDP_PROFILE_BAUD_RATES.join(', ')})`,
      options: {
        address: { type: 'string' },
        'new-address': { type: 'string' },
        baud: { type: 'string' },
      },
      async run(args, io) {
        const request = comsetRequest(args.values);
        const session = await open(args);
        try {
          return await comset(session, request, waitMs, io);
        } finally {
          await session.close();
        }
      },
    },
  ];
}

interface ComsetRequest {
  address: number;
  newAddress: number;
  baudRate: number;
}

/** The arguments, each checked and named, before anything is opened. */
export function comsetRequest(values: Record<string, string | boolean | undefined>): ComsetRequest {
  const address = busAddress(requireOption({ values, positionals: [] }, 'address'), '--address');
  const newAddress = busAddress(
    requireOption({ values, positionals: [] }, 'new-address'),
    '--new-address',
  );
  const baud = requireOption({ values, positionals: [] }, 'baud');
  const baudRate = wholeNumber(baud, '--baud', 1);
  if (!(OSDP_PROFILE_BAUD_RATES as readonly number[]).includes(baudRate)) {
    throw new KeywardenError(
      'USAGE',
      `--baud must be one of ${OSDP_PROFILE_BAUD_RATES.join(', ')}, not ${baud}`,
    );
  }
  return { address, newAddress, baudRate };
}

function busAddress(value: string, name: string): number {
  const address = wholeNumber(value, name, 0);
  // 127 is the broadcast address: a COMSET to it would move every reader on the bus at once.
  if (address > 126) {
    throw new KeywardenError('USAGE', `${name} must be 0-126 (127 is broadcast), not ${value}`);
  }
  return address;
}

async function status(session: OsdpMaintenance, waitMs: number, io: CommandIo): Promise<number> {
  const answers = await surveyOsdpReaders(session, waitMs);
  for (const answer of answers) {
    const { reader } = answer;
    const where = `${reader.name} (address ${reader.address}, ${reader.role})`;
    if (!answer.online) {
      io.out(`${where}: no answer`);
      continue;
    }
    const secured = answer.secured ? 'secured' : 'plaintext';
    io.out(
      `${where}: online, ${secured}; ${describeIdentity(answer.identity)}; ${describeLocalStatus(answer.localStatus)}`,
    );
  }
  return answers.every((a) => a.online) ? EXIT.ok : EXIT.failed;
}

async function comset(
  session: OsdpMaintenance,
  request: ComsetRequest,
  waitMs: number,
  io: CommandIo,
): Promise<number> {
  const readers = session.spec.readers;
  const reader = readers.find((r) => r.address === request.address);
  if (reader === undefined) {
    // Only readers the profile names are polled, and secured with the cabinet's key.
    throw new KeywardenError(
      'USAGE',
      `--address: no reader at ${request.address} in the profile (${readers.map((r) => `${r.name} ${r.address}`).join(', ')})`,
    );
  }
  const other = readers.find(
    (r) => r.address === request.newAddress && r.address !== request.address,
  );
  if (other !== undefined) {
    throw new KeywardenError(
      'USAGE',
      `--new-address: ${request.newAddress} is ${other.name}'s: two readers at one address answer over each other`,
    );
  }
  const online = await session.waitOnline([request.address], waitMs);
  if (!online.has(request.address)) {
    io.err(`keywarden osdp comset: ${reader.name} (address ${request.address}) does not answer`);
    return EXIT.failed;
  }
  const reply = await session.bus.send(request.address, {
    kind: 'COMSET',
    address: request.newAddress,
    baudRate: request.baudRate,
  });
  if (reply.kind !== 'COM') {
    const why =
      reply.kind === 'NAK' ? `refused it (NAK ${reply.reason})` : `answered ${reply.kind}`;
    io.err(`keywarden osdp comset: ${reader.name} ${why}; nothing changed`);
    return EXIT.failed;
  }
  io.out(
    `${reader.name} now answers at address ${reply.address}, ${reply.baudRate} baud. ` +
      'Set the same in the profile (readers.badge.osdp.readers, readers.badge.baudRate) before ' +
      'starting the daemon.',
  );
  if (reply.baudRate !== session.baudRate && readers.length > 1) {
    io.out(
      `The bus runs at one speed: move the other readers to ${reply.baudRate} baud too, or this one back.`,
    );
  }
  return EXIT.ok;
}
