import type { OsdpBus } from '../../drivers/osdp/link/bus-api.js';
import { ReaderPort } from '../../drivers/serial/reader-port.js';
import { realPortFactory, type PortFactory } from '../../drivers/serial/serial-port-like.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile, OsdpBusSpec } from '../config/profile.js';
import { KeywardenError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { acquireMaintenanceLock, type CabinetLock } from './cabinet-lock.js';
import { openOsdpBus, osdpLink, type OsdpLink } from './osdp-link.js';
import { osdpReaderSpecs } from './osdp-readers.js';

/**
 * The OSDP bus opened by the command line (`keywarden osdp status`, `keywarden osdp comset`),
 * never beside the daemon: the daemon owns the bus while it runs (one control panel per bus:
 * two would talk over each other), so this takes the cabinet's lock first and is refused
 * (CABINET_IN_USE) while a daemon holds it. Whoever runs it must be able to read the config,
 * the key file (mode 0600, the daemon's user) and open the serial device: the installer, not a
 * custodian (docs/osdp.md, "In the cabinet", says why not through the custodian socket).
 */
export interface OsdpMaintenance {
  spec: OsdpBusSpec;
  /** The bus's speed, as the profile says. */
  baudRate: number;
  bus: OsdpBus;
  /** How each reader that answered came online. */
  readonly secured: ReadonlyMap<number, boolean>;
  /** Resolves once each of `addresses` is online or `ms` has passed: those online. */
  waitOnline(addresses: readonly number[], ms: number): Promise<Set<number>>;
  close(): Promise<void>;
}

export interface OsdpMaintenanceOptions {
  config: KeywardenConfig;
  profile: HardwareProfile;
  logger: Logger;
  link?: OsdpLink;
  factory?: PortFactory;
  /**
   * The readers are only asked (`osdp status`, doctor): in install mode a reader still on the
   * default key SCBK-D is not moved to the cabinet's key but left offline, as with `on`. Each
   * bus in install mode offers the cabinet's key, under a key anyone can derive, to whatever
   * answers with SCBK-D (docs/osdp.md, install mode): a check must not be one more chance.
   */
  askOnly?: boolean;
}

export function openOsdpMaintenance(options: OsdpMaintenanceOptions): OsdpMaintenance {
  const { config, profile, logger } = options;
  const reader = profile.readers.badge;
  if (reader.protocol !== 'osdp' || reader.osdp === undefined) {
    throw new KeywardenError(
      'CONFLICT',
      `this cabinet's badge reader speaks ${reader.protocol}, not osdp (profile ${profile.file})`,
    );
  }
  const spec = reader.osdp;
  // The key before the lock: a config error says so whether or not the daemon runs.
  const readers = osdpReaderSpecs(spec, config).map((entry) =>
    options.askOnly && entry.secure === 'install' ? { ...entry, secure: 'on' as const } : entry,
  );
  // Run as root before the daemon ever ran, it must not leave a lock the daemon cannot open.
  const lock: CabinetLock = acquireMaintenanceLock(config.database);
  try {
    const port = new ReaderPort({
      name: 'osdp',
      path: config.readers.badgePath ?? reader.path,
      baudRate: reader.baudRate,
      factory: options.factory ?? realPortFactory,
      logger: logger.child({ module: 'osdp.port' }),
    });
    const open = openOsdpBus(options.link ?? osdpLink, port, {
      readers,
      logger: logger.child({ module: 'osdp.bus' }),
    });
    const secured = new Map<number, boolean>();
    open.bus.on('online', ({ address, secured: yes }) => secured.set(address, yes));
    open.bus.on('offline', ({ address }) => secured.delete(address));
    port.start();
    open.start();
    return {
      spec,
      baudRate: reader.baudRate,
      bus: open.bus,
      secured,
      waitOnline: (addresses, ms) => waitOnline(open.bus, addresses, ms),
      async close() {
        open.stop();
        await port.stop();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function waitOnline(bus: OsdpBus, addresses: readonly number[], ms: number): Promise<Set<number>> {
  const online = () => new Set(addresses.filter((a) => bus.isOnline(a)));
  return new Promise((resolve) => {
    const check = () => {
      const now = online();
      if (now.size < addresses.length) return;
      finish();
    };
    const finish = () => {
      clearTimeout(timer);
      bus.off('online', check);
      resolve(online());
    };
    const timer = setTimeout(finish, ms);
    bus.on('online', check);
    check();
  });
}
