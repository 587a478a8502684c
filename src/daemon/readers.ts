import type { BadgeSource } from '../../drivers/badge-source.js';
import { BadgeReader, type BadgeReaderOptions } from '../../drivers/serial/badge-reader.js';
import { FobReader } from '../../drivers/serial/fob-reader.js';
import { ReaderPort } from '../../drivers/serial/reader-port.js';
import type { PortFactory } from '../../drivers/serial/serial-port-like.js';
import type { KeywardenConfig } from '../config/config.js';
import { KeywardenError } from '../errors.js';
import type { HardwareProfile } from '../config/profile.js';
import type { Logger } from '../log/logger.js';
import type { SignalFeedback } from './cabinet-runner.js';
import { fromDriverError } from './driver-errors.js';
import { osdpLink, type OsdpLink } from './osdp-link.js';
import { createOsdpBadge } from './osdp-readers.js';

export interface CabinetReaders {
  /**
   * An interface, not the serial BadgeReader: an OSDP reader on its bus is a badge source too,
   * and the services that listen (reader-inputs.ts) must not care which the profile chose.
   */
  badge: BadgeSource;
  fob: FobReader;
  /** Where else the runner's signals show (an OSDP reader's LED and buzzer), if anywhere. */
  feedback?: SignalFeedback;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The badge and fob readers on their serial ports, with the config's path overrides. An OSDP
 * badge reader sits on its bus, made by `link` (injected so tests use a fake bus).
 */
export function createReaders(
  profile: HardwareProfile,
  config: KeywardenConfig,
  factory: PortFactory,
  logger: Logger,
  link: OsdpLink = osdpLink,
): CabinetReaders {
  const { badge: badgeSpec, fob: fobSpec } = profile.readers;
  const badgePort = new ReaderPort({
    name: 'badge',
    path: config.readers.badgePath ?? badgeSpec.path,
    baudRate: badgeSpec.baudRate,
    factory,
    reopenIntervalMs: config.readers.reopenIntervalMs,
    silenceMs: badgeSpec.silenceMs ?? 0,
    logger: logger.child({ module: 'reader.badge' }),
  });
  const fobPort = new ReaderPort({
    name: 'fob',
    path: config.readers.fobPath ?? fobSpec.path,
    baudRate: fobSpec.baudRate,
    factory,
    reopenIntervalMs: config.readers.reopenIntervalMs,
    silenceMs: fobSpec.silenceMs ?? 0,
    logger: logger.child({ module: 'reader.fob' }),
  });
  const osdp =
    badgeSpec.protocol === 'osdp' && badgeSpec.osdp
      ? createOsdpBadge(link, badgePort, badgeSpec.osdp, config, logger)
      : undefined;
  const badge = osdp?.badge ?? serialBadgeReader(badgeSpec, badgePort, config, logger);
  const fob = new FobReader({
    port: fobPort,
    slotCount: profile.slotCount,
    logger: logger.child({ module: 'reader.fob' }),
  });
  return {
    badge,
    fob,
    ...(osdp?.feedback ? { feedback: osdp.feedback } : {}),
    start() {
      badgePort.start();
      osdp?.bus.start();
      fobPort.start();
    },
    async stop() {
      osdp?.bus.stop();
      await Promise.allSettled([badgePort.stop(), fobPort.stop()]);
    },
  };
}

function serialBadgeReader(
  spec: HardwareProfile['readers']['badge'],
  port: ReaderPort,
  config: KeywardenConfig,
  logger: Logger,
): BadgeReader {
  if (spec.protocol !== 'rdm6300' && spec.protocol !== 'ascii-line') {
    // The profile checks allow only these here; a new protocol must say how it reads.
    throw new KeywardenError(
      'CONFIG_INVALID',
      `readers.badge.protocol: ${spec.protocol} is not a badge reader protocol`,
    );
  }
  const options = {
    port,
    protocol: spec.protocol,
    quietMs: config.readers.badgeQuietMs,
    logger: logger.child({ module: 'reader.badge' }),
  };
  return badgeReader(spec.lineFormat ? { ...options, lineFormat: spec.lineFormat } : options);
}

/** A badge reader whose settings the driver refuses is a config error (exit 78), as it was. */
function badgeReader(options: BadgeReaderOptions): BadgeReader {
  try {
    return new BadgeReader(options);
  } catch (error) {
    throw fromDriverError(error, 'CONFIG_INVALID');
  }
}
