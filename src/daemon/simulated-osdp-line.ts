import { osdpLinkPortFactory, type OsdpLinkPortFactory } from '../../drivers/osdp/sim/link-port.js';
import { SimulatedOsdpBus } from '../../drivers/osdp/sim/simulated-bus.js';
import { SimulatedOsdpReader } from '../../drivers/osdp/sim/simulated-reader.js';
import { isSimPath } from '../../drivers/serial/sim-port.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import { demoOsdpKeyFile } from './demo-osdp-key.js';
import { cabinetKey } from './osdp-readers.js';

/**
 * The simulated OSDP line of a profile whose badge reader is an OSDP bus on a `sim:` path
 * (hardware/sim-osdp.json): a PD simulator reader for each reader the profile lists, on one
 * simulated bus, reached through an in-process port (drivers/osdp/sim/link-port.ts) that the
 * daemon's badge port opens as it would a serial device. Everything between that port and the
 * policy is the real control panel: framing, Secure Channel, card decoding.
 */
export interface SimulatedOsdpLine {
  /** The port path the badge reader opens. */
  path: string;
  ports: OsdpLinkPortFactory;
  /** The reader the profile names the badge reader: where the simulator presents cards. */
  badgeReader: SimulatedOsdpReader;
}

/**
 * Undefined unless the badge reader is OSDP on a `sim:` path. The readers hold the cabinet's
 * key (secure `on`; the same file the cabinet reads) or, in `install` mode, the factory key
 * SCBK-D until the cabinet moves them to its own.
 */
export function simulatedOsdpLine(
  profile: HardwareProfile,
  config: KeywardenConfig,
): SimulatedOsdpLine | undefined {
  const spec = profile.readers.badge;
  const path = config.readers.badgePath ?? spec.path;
  if (spec.protocol !== 'osdp' || spec.osdp === undefined || !isSimPath(path)) return undefined;
  const { secure } = spec.osdp;
  const scbk = secure === 'on' ? cabinetKey(config, secure) : undefined;
  const readers = spec.osdp.readers.map(
    (entry) =>
      new SimulatedOsdpReader({
        address: entry.address,
        baudRate: spec.baudRate,
        secureChannel: secure !== 'off',
        ...(scbk && { scbk }),
      }),
  );
  const badgeIndex = spec.osdp.readers.findIndex((entry) => entry.role === 'badge');
  const badgeReader = readers[badgeIndex];
  // The profile checks promise exactly one badge reader.
  if (badgeReader === undefined) throw new Error('OSDP bus without a badge reader');
  return { path, ports: osdpLinkPortFactory(new SimulatedOsdpBus(readers)), badgeReader };
}

/**
 * The config the readers see. In the demo with a simulated OSDP reader, the key is the demo's
 * own (demo-osdp-key.ts), made at the first start; everywhere else the config's, never made.
 */
export function readersConfig(
  config: KeywardenConfig,
  profile: HardwareProfile,
  demo: boolean,
): KeywardenConfig {
  const spec = profile.readers.badge;
  const path = config.readers.badgePath ?? spec.path;
  if (!demo || spec.protocol !== 'osdp' || !isSimPath(path)) return config;
  if (spec.osdp?.secure === 'off') return config;
  const osdpKeyFile = demoOsdpKeyFile(config.database);
  return { ...config, readers: { ...config.readers, osdpKeyFile } };
}
