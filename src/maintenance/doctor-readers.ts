import { realPortFactory, type PortFactory } from '../../drivers/serial/serial-port-like.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile, ReaderSpec } from '../config/profile.js';
import type { OsdpLink } from '../daemon/osdp-link.js';
import { KeywardenError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import type { DaemonState } from './daemon-probe.js';
import { fail, ok, warn, type CheckResult } from './doctor-report.js';
import { describeIdentity, surveyOsdpReaders, type OsdpReaderAnswer } from './osdp-survey.js';

export interface ReaderTalkOptions {
  config: KeywardenConfig;
  profile: HardwareProfile;
  /** Whether the daemon runs, as doctor's probe of the cabinet's lock found. */
  daemonRunning: DaemonState['running'];
  /** The roles whose device the presence check found usable; the others are not opened. */
  usable: ReadonlySet<string>;
  /** How long the OSDP readers get to come online. */
  waitMs: number;
  /** How the port is opened; the tests' ptys go through the real one. */
  factory?: PortFactory;
  link?: OsdpLink;
}

/**
 * Beyond a device being present: is the reader talking? An OSDP reader answers when asked, so
 * the bus is opened as `keywarden osdp status` opens it (the same exchange: online, ID, LSTAT)
 * and each reader of the profile must answer at its address and the bus's speed. An RDM6300 or
 * ASCII reader says nothing until a card is presented, so of it only the port opening at the
 * profile's speed is checked, and the line says so rather than claim more. Only with the
 * daemon stopped: it owns the ports while it runs, and a second control panel on an OSDP bus
 * would talk over it.
 */
export async function checkReadersTalking(options: ReaderTalkOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [role, reader] of readersOf(options.profile)) {
    if (reader.path.startsWith('sim:') || !options.usable.has(role)) continue;
    const check = `${role} reader talking`;
    if (options.daemonRunning !== false) {
      results.push(
        options.daemonRunning === true
          ? ok(check, 'not checked: the daemon holds the port')
          : warn(
              check,
              'not checked: whether the daemon runs is unknown, and it would hold the port',
            ),
      );
      continue;
    }
    const path = pathOf(role, reader, options.config);
    if (reader.protocol === 'osdp' && role === 'badge') results.push(...(await osdp(options)));
    else results.push(await portOpens(check, path, reader, options.factory ?? realPortFactory));
  }
  return results;
}

async function osdp(options: ReaderTalkOptions): Promise<CheckResult[]> {
  const { config, profile } = options;
  const reader = profile.readers.badge;
  const path = pathOf('badge', reader, config);
  // Loaded only when a bus is to be opened: the serial library must not load for every check.
  const { openOsdpMaintenance } = await import('../daemon/osdp-maintenance.js');
  let answers: OsdpReaderAnswer[];
  try {
    const session = openOsdpMaintenance({
      config,
      profile,
      logger: createLogger({ level: 'silent' }),
      askOnly: true,
      ...(options.link ? { link: options.link } : {}),
      ...(options.factory ? { factory: options.factory } : {}),
    });
    try {
      answers = await surveyOsdpReaders(session, options.waitMs);
    } finally {
      await session.close();
    }
  } catch (error) {
    // The daemon started between doctor's look at its lock and this: it holds the port now.
    if (error instanceof KeywardenError && error.code === 'CABINET_IN_USE') {
      return [ok('badge reader talking', 'not checked: the daemon holds the port')];
    }
    return [
      fail(
        'badge reader talking',
        `the OSDP bus on ${path} could not be opened: ${(error as Error).message}`,
        'run doctor as root or as the daemon\u2019s user (the key file and the lock are theirs), with the daemon stopped',
      ),
    ];
  }
  const secure = reader.osdp?.secure ?? 'off';
  return answers.map((answer) => {
    const { name, address } = answer.reader;
    const check = `badge reader ${name} talking`;
    const where = `address ${address}, ${reader.baudRate} baud on ${path}`;
    if (!answer.online) {
      // Doctor never keys a reader: one on the factory key answers only the daemon's bus.
      const factory =
        secure === 'install'
          ? '; a reader still on the factory key SCBK-D is moved to the cabinet\u2019s key by the ' +
            'daemon at its start (install mode), never by doctor, and stays silent here until then'
          : '';
      return fail(
        check,
        `no answer at ${where}${secure === 'off' ? '' : ` (secure "${secure}")`}`,
        'check its power and the RS-485 wiring (A and B swapped? termination at both ends); a reader ' +
          'moved to another address or speed answers only there: set readers.badge.osdp.readers[].address ' +
          `and readers.badge.baudRate in ${profile.file} to its own, or move it back with ` +
          `"keywarden osdp comset" (docs/osdp.md)${factory}`,
      );
    }
    return ok(
      check,
      `answers at ${where}, ${answer.secured ? 'secured' : 'plaintext'}; ${describeIdentity(answer.identity)}`,
    );
  });
}

/** The port opened at the profile's speed and closed again; nothing is sent or read. */
async function portOpens(
  check: string,
  path: string,
  reader: ReaderSpec,
  factory: PortFactory,
): Promise<CheckResult> {
  const port = factory({ path, baudRate: reader.baudRate });
  const opened = await new Promise<Error | null>((resolve) => port.open(resolve));
  if (opened !== null) {
    return fail(
      check,
      `${path} does not open at ${reader.baudRate} baud: ${opened.message}`,
      `stop whatever holds ${path} (fuser -v ${path}), and check it is the serial adapter the reader is on`,
    );
  }
  await new Promise<void>((resolve) => port.close(() => resolve()));
  return ok(
    check,
    `${path} opens at ${reader.baudRate} baud; this reader (${reader.protocol}) speaks only when a ` +
      'card or fob is presented, so whether it reads is not checked here (keywarden selftest reads one)',
  );
}

function pathOf(role: string, reader: ReaderSpec, config: KeywardenConfig): string {
  const override = role === 'badge' ? config.readers.badgePath : config.readers.fobPath;
  return override ?? reader.path;
}

function readersOf(profile: HardwareProfile): Array<[string, ReaderSpec]> {
  return [
    ['badge', profile.readers.badge],
    ['fob', profile.readers.fob],
  ];
}
