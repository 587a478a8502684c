import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimPortRegistry } from '../../drivers/serial/sim-port.js';
import { parseCommandArgs, type Command } from '../../src/cli/command.js';
import { osdpCommands } from '../../src/cli/commands/osdp.js';
import type { OsdpLink } from '../../src/daemon/osdp-link.js';
import { hardwareDir } from '../../src/paths.js';
import { FakeOsdpBus } from './fake-osdp-bus.js';

/**
 * `keywarden osdp status|comset` run in the test's process against a cabinet on disk, its bus a
 * FakeOsdpBus per opening (what the tests of the OSDP commands share).
 */

/** The readers and Secure Channel mode of the badge reader's OSDP bus, as the profile says. */
export interface OsdpBusProfile {
  readers: Array<{ address: number; name: string; role?: 'polled' }>;
  secure: 'off' | 'on' | 'install';
}

/**
 * Writes `profile.json` (the simulated cabinet, its badge reader an OSDP bus on `sim:badge`
 * unless `bus` is null) and `config.json` naming it and `database` into `dir`; returns the
 * config's path.
 */
export function writeOsdpCabinet(
  dir: string,
  database: string,
  bus: OsdpBusProfile | null,
): string {
  const profile = JSON.parse(readFileSync(join(hardwareDir(), 'sim.json'), 'utf8')) as {
    readers: Record<string, unknown>;
  };
  if (bus !== null) {
    profile.readers.badge = { path: 'sim:badge', baudRate: 9600, protocol: 'osdp', osdp: bus };
  }
  writeFileSync(join(dir, 'profile.json'), JSON.stringify(profile));
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      cabinetId: 'cab',
      profile: join(dir, 'profile.json'),
      database,
      mqtt: { allowPlainText: true },
    }),
  );
  return configFile;
}

/** A link whose every bus is a FakeOsdpBus, handed to `setUp` as it is made, and kept. */
export function fakeOsdpLink(setUp: (bus: FakeOsdpBus) => void = () => undefined) {
  const buses: FakeOsdpBus[] = [];
  const link: OsdpLink = {
    createOsdpBus: (options) => {
      const bus = new FakeOsdpBus(options);
      buses.push(bus);
      setUp(bus);
      return bus;
    },
    connectBusToPort: () => () => undefined,
    portWriter: () => () => undefined,
  };
  return { link, buses };
}

/** Runs `keywarden osdp <name> argv…` over `link`; what it printed, line by line. */
export async function runOsdpCommand(name: 'status' | 'comset', argv: string[], link: OsdpLink) {
  const commands = osdpCommands({ link, factory: new SimPortRegistry().factory, onlineWaitMs: 20 });
  const command = commands.find((c) => c.path[1] === name) as Command;
  const out: string[] = [];
  const err: string[] = [];
  const code = await command.run(parseCommandArgs(command, argv), {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out, err };
}
