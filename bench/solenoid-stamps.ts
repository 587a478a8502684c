/**
 * A probe loaded into the daemon child by `node --import` (console-streams.ts): every slot
 * solenoid energised is written to fd 3 as one line, the CLOCK_MONOTONIC milliseconds of the
 * write. A child's GPIO cannot be watched from outside as the in-process benchmarks watch it
 * (solenoid-watch.ts), and the simulator's stream stamps a state on arrival, after the daemon
 * has serialised and sent it; CLOCK_MONOTONIC is the same clock in every process, so the
 * parent compares this stamp with the instant it wrote the badge frame.
 *
 * The daemon's code is not changed: the driver's public `onOutput` is subscribed on the first
 * pin claimed, before anything else listens, and the listener only does one small writeSync to
 * a pipe, the same in every phase of the benchmark.
 */
import { writeSync } from 'node:fs';
import type { PinSpec } from '../drivers/gpio/gpio.js';
import { SimGpioDriver } from '../drivers/gpio/sim-gpio.js';

const SIDE_CHANNEL_FD = 3;
const SOLENOID = /^slot\d+\.solenoid$/;

/** The process's monotonic clock in ms, as src/platform/system-clock.ts reads it. */
const monotonicMs = (): number => Number(process.hrtime.bigint() / 1000n) / 1000;

const watched = new WeakSet<SimGpioDriver>();
// Read off the prototype to be wrapped, and only ever called with `.call(this, …)`.
// eslint-disable-next-line @typescript-eslint/unbound-method
const claimOutput = SimGpioDriver.prototype.output;
SimGpioDriver.prototype.output = function output(this: SimGpioDriver, spec: PinSpec) {
  if (!watched.has(this)) {
    watched.add(this);
    this.onOutput((event) => {
      if (event.on && SOLENOID.test(event.name)) {
        writeSync(SIDE_CHANNEL_FD, `${monotonicMs()}\n`);
      }
    });
  }
  return claimOutput.call(this, spec);
};
