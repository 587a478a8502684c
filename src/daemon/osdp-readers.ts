import type { BadgeSource } from '../../drivers/badge-source.js';
import { OsdpBadgeReader } from '../../drivers/osdp/cabinet/osdp-badge-reader.js';
import { OsdpFeedback } from '../../drivers/osdp/cabinet/feedback.js';
import type { OsdpReaderSpec } from '../../drivers/osdp/link/bus-api.js';
import type { ReaderPort } from '../../drivers/serial/reader-port.js';
import type { KeywardenConfig } from '../config/config.js';
import { loadOsdpKey, osdpKeyFile } from '../config/osdp-key-file.js';
import type { OsdpBusSpec } from '../config/profile.js';
import { KeywardenError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { SignalFeedback } from './cabinet-runner.js';
import { openOsdpBus, type OpenOsdpBus, type OsdpLink } from './osdp-link.js';

export interface OsdpBadge {
  badge: BadgeSource;
  /** Undefined when the profile's feedback is 'pi'. */
  feedback: SignalFeedback | undefined;
  bus: OpenOsdpBus;
}

/**
 * The readers as the bus takes them, with the cabinet's key when the bus is secured. The key
 * is read here, at start, never made: a missing or loose key file stops the daemon (exit 78).
 */
export function osdpReaderSpecs(spec: OsdpBusSpec, config: KeywardenConfig): OsdpReaderSpec[] {
  const scbk = spec.secure === 'off' ? undefined : cabinetKey(config, spec.secure);
  return spec.readers.map((reader) => ({
    address: reader.address,
    name: reader.name,
    secure: spec.secure,
    ...(scbk === undefined ? {} : { scbk }),
  }));
}

/** The cabinet's own key, from its key file (never made here). */
export function cabinetKey(config: KeywardenConfig, mode: 'on' | 'install'): Uint8Array {
  const file = osdpKeyFile(config.database, config.readers.osdpKeyFile);
  if (file === null) {
    throw new KeywardenError(
      'CONFIG_INVALID',
      `readers.osdpKeyFile: is required for osdp.secure "${mode}" with an in-memory database`,
    );
  }
  return loadOsdpKey(file);
}

/** The cabinet's badge reader on its OSDP bus, and the feedback the profile asks for. */
export function createOsdpBadge(
  link: OsdpLink,
  port: ReaderPort,
  spec: OsdpBusSpec,
  config: KeywardenConfig,
  logger: Logger,
): OsdpBadge {
  const readers = osdpReaderSpecs(spec, config);
  const badgeEntry = spec.readers.find((r) => r.role === 'badge');
  // The profile checks promise exactly one; a loaded profile that broke it is a bug, said so.
  if (badgeEntry === undefined) throw new Error('OSDP bus without a badge reader');
  const bus = openOsdpBus(link, port, { readers, logger: logger.child({ module: 'osdp.bus' }) });
  const badge = new OsdpBadgeReader({
    bus: bus.bus,
    address: badgeEntry.address,
    names: new Map(spec.readers.map((r) => [r.address, r.name])),
    cardFormats: spec.cardFormats,
    quietMs: config.readers.badgeQuietMs,
    logger: logger.child({ module: 'reader.badge' }),
  });
  const feedback =
    spec.feedback === 'pi'
      ? undefined
      : signalFeedback(
          new OsdpFeedback({
            bus: bus.bus,
            address: badgeEntry.address,
            reader: 0,
            entryMs: config.policy.entrySeconds * 1000,
            logger,
          }),
          spec.feedback === 'reader',
        );
  return { badge, feedback, bus };
}

function signalFeedback(feedback: OsdpFeedback, replacesPins: boolean): SignalFeedback {
  return { show: (signal) => feedback.show(signal), replacesPins };
}
