import type { SimGpioDriver } from '../../../drivers/gpio/sim-gpio.js';
import type { SimulatedOsdpReader } from '../../../drivers/osdp/sim/simulated-reader.js';
import type { SimPortRegistry } from '../../../drivers/serial/sim-port.js';
import type { RecordedEvent } from '../../domain/events.js';
import type { SimCabinet } from '../../sim/sim-cabinet.js';
import type { SimHttpServer } from '../../sim/sim-http.js';
import { keysAtHome } from '../../store/cabinet-contents.js';
import type { Database } from '../../store/database.js';
import type { CabinetRunner } from '../cabinet-runner.js';
import type { DaemonContext } from '../daemon-context.js';
import type { Service } from '../service.js';

/** The simulated cabinet, and where its control interface listens (if it could). */
export interface RunningSimulator {
  cabinet: SimCabinet;
  address: { host: string; port: number } | undefined;
}

export interface SimulatorParts {
  gpio: SimGpioDriver;
  ports: SimPortRegistry;
  db: Database;
  runner: CabinetRunner;
  /** The simulated OSDP badge reader, when the profile's badge reader is one on a `sim:` path. */
  osdpReader: SimulatedOsdpReader | undefined;
}

/**
 * The simulated cabinet (simulated GPIO only) and its HTTP control interface. Started before the
 * inputs, because it sets the key-present switches the inputs read first; stopped after them.
 */
export function simulatorService(
  context: DaemonContext,
  options: SimulatorParts,
): Service<RunningSimulator> {
  let http: SimHttpServer | undefined;
  let simulated: SimCabinet | undefined;
  const forward = (events: RecordedEvent[]) => http?.recorded(events);
  return {
    name: 'simulator',
    async start() {
      const { config, profile, logger } = context;
      const { db, runner } = options;
      // Loaded only for simulated GPIO: a cabinet on real hardware never needs the simulator or
      // its HTTP server, and does not carry their code in memory.
      const [{ SimCabinet }, { SimHttpServer }, { readSimState, writeSimState }] =
        await Promise.all([
          import('../../sim/sim-cabinet.js'),
          import('../../sim/sim-http.js'),
          import('../../sim/sim-state-file.js'),
        ]);
      const cabinet = new SimCabinet(
        profile,
        options.gpio,
        options.ports,
        { badge: config.readers.badgePath, fob: config.readers.fobPath },
        options.osdpReader,
      );
      simulated = cabinet;
      const { stateFile } = config.sim;
      // A state file is the simulated cabinet's memory of where the keys physically are; without
      // one it hangs every key the loans say is in.
      const remembered = stateFile ? readSimState(stateFile, profile.slotCount) : undefined;
      cabinet.preload(remembered ?? keysAtHome(db));
      if (stateFile) {
        const save = () => writeSimState(stateFile, cabinet.snapshot().slots);
        save();
        cabinet.on('changed', save);
      }
      const server = new SimHttpServer(cabinet, logger.child({ module: 'sim' }));
      try {
        const address = await server.listen(config.sim.host, config.sim.port);
        http = server;
        runner.on('recorded', forward);
        return { cabinet, address: { host: address.address, port: address.port } };
      } catch (err) {
        // The control interface is an accessory of the simulator, not of the cabinet: without it
        // the terminal still drives the simulated cabinet.
        logger
          .child({ module: 'daemon' })
          .warn(
            { err, host: config.sim.host, port: config.sim.port },
            'simulator control interface not started',
          );
        return { cabinet, address: undefined };
      }
    },
    async stop() {
      options.runner.off('recorded', forward);
      await http?.close();
      simulated?.close();
    },
  };
}
