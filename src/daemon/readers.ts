import type { BadgeSource } from '../../drivers/badge-source.js';
import { BadgeReader, type BadgeReaderOptions } from '../../drivers/serial/badge-reader.js';
import { FobReader } from '../../drivers/serial/fob-reader.js';
import { ReaderPort } from '../../drivers/serial/reader-port.js';
import type { PortFactory } from '../../drivers/serial/serial-port-like.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import type { Logger } from '../log/logger.js';
import { fromDriverError } from './driver-errors.js';

export interface CabinetReaders {
  /**
   * An interface, not the serial BadgeReader: an OSDP reader on its bus is a badge source too,
   * and the services that listen (reader-inputs.ts) must not care which the profile chose.
   */
  badge: BadgeSource;
  fob: FobReader;
  start(): void;
  stop(): Promise<void>;
}

/** The badge and fob readers on their serial ports, with the config's path overrides. */
export function createReaders(
  profile: HardwareProfile,
  config: KeywardenConfig,
  factory: PortFactory,
  logger: Logger,
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
  const badgeOptions = {
    port: badgePort,
    protocol: badgeSpec.protocol === 'ascii-line' ? ('ascii-line' as const) : ('rdm6300' as const),
    quietMs: config.readers.badgeQuietMs,
    logger: logger.child({ module: 'reader.badge' }),
  };
  const badge = badgeReader(
    badgeSpec.lineFormat ? { ...badgeOptions, lineFormat: badgeSpec.lineFormat } : badgeOptions,
  );
  const fob = new FobReader({
    port: fobPort,
    slotCount: profile.slotCount,
    logger: logger.child({ module: 'reader.fob' }),
  });
  return {
    badge,
    fob,
    start() {
      badgePort.start();
      fobPort.start();
    },
    async stop() {
      await Promise.allSettled([badgePort.stop(), fobPort.stop()]);
    },
  };
}

/** A badge reader whose settings the driver refuses is a config error (exit 78), as it was. */
function badgeReader(options: BadgeReaderOptions): BadgeReader {
  try {
    return new BadgeReader(options);
  } catch (error) {
    throw fromDriverError(error, 'CONFIG_INVALID');
  }
}
