import type { GpioDriver } from '../../../drivers/gpio/gpio.js';
import type { PortFactory } from '../../../drivers/serial/serial-port-like.js';
import type { Command } from '../command.js';
import { loadSetup } from '../context.js';

/** Injected in tests: the simulated GPIO whose inputs a test can move, and the port factory. */
export interface SelftestDeps {
  gpio?: GpioDriver;
  portFactory?: PortFactory;
}

export function selftestCommandWith(deps: SelftestDeps = {}): Command {
  return {
    path: ['selftest'],
    summary: 'check the wiring on the bench: each solenoid, the door, LEDs, buzzer and readers',
    usage:
      'selftest [--config <file>] [--only solenoids,door,indicators,badge,fobs] ' +
      '[--slot <n,…>] [--pulse-ms <ms>] [--wait-s <s>]',
    options: {
      only: { type: 'string' },
      slot: { type: 'string' },
      'pulse-ms': { type: 'string' },
      'wait-s': { type: 'string' },
    },
    async run(args, io) {
      const { config, profile } = loadSetup(args);
      // Loaded here, not at the CLI's start: it brings the readers and serialport, which every
      // other command (the daemon's start above all) must not wait for.
      const { runBenchSelftest } = await import('../../bringup/bench-selftest.js');
      return runBenchSelftest({
        config,
        profile,
        values: args.values,
        io,
        input: io.stdin ?? process.stdin,
        portFactory: deps.portFactory ?? (await realPorts()),
        ...(deps.gpio ? { gpio: deps.gpio } : {}),
      });
    },
  };
}

export const selftestCommand = selftestCommandWith();

/** serialport, loaded only when the self test runs (as above). */
async function realPorts(): Promise<PortFactory> {
  const { realPortFactory } = await import('../../../drivers/serial/serial-port-like.js');
  return realPortFactory;
}
