import { MARK } from '../drivers/osdp/frame.js';
import { percentile, roundMs } from './stats.js';

/**
 * What the control panel put on the line and when its bytes came back, as the bus saw it: every
 * `write` the bus made (one command frame, its address read from the header) and every chunk
 * the port delivered. Enough to tell each reader's poll period, the cycle and the exchanges,
 * without a hook in the bus.
 */
export class OsdpWireLog {
  private readonly commands: Array<{ at: number; address: number }> = [];
  private readonly received: number[] = [];

  /** The bus's `write` option, wrapped: records the command, then writes it. */
  recording(write: (bytes: Uint8Array) => void): (bytes: Uint8Array) => void {
    return (bytes) => {
      const start = bytes[0] === MARK ? 1 : 0;
      this.commands.push({ at: performance.now(), address: (bytes[start + 1] ?? 0) & 0x7f });
      write(bytes);
    };
  }

  /** The port's 'data' listener, before the bus's. */
  readonly onData = (): void => {
    this.received.push(performance.now());
  };

  now(): number {
    return performance.now();
  }

  /** The figures of the window [from, to) for the readers at `addresses` (the first starts a cycle). */
  window(from: number, to: number, addresses: readonly number[]): WindowFigures {
    const seconds = (to - from) / 1000;
    const inWindow = this.commands.filter((c) => c.at >= from && c.at < to);
    const readers = addresses.map((address) => {
      const times = inWindow.filter((c) => c.address === address).map((c) => c.at);
      const periods = gaps(times);
      return {
        address,
        commandsPerSecond: round1(times.length / seconds),
        periodP50: roundMs(percentile(periods, 50)),
        periodP99: roundMs(percentile(periods, 99)),
      };
    });
    const cycles = gaps(inWindow.filter((c) => c.address === addresses[0]).map((c) => c.at));
    return {
      seconds: round1(seconds),
      readers,
      cycleP50: roundMs(percentile(cycles, 50)),
      cycleP99: roundMs(percentile(cycles, 99)),
      cycleMax: roundMs(cycles.at(-1) ?? Number.NaN),
      ...this.exchanges(inWindow, to),
    };
  }

  /**
   * Command written → the last chunk that came back before the next command: one exchange
   * (both pty crossings, the reader's work, the bus's reading of the reply). A command with
   * nothing back (a dead reader) has none.
   */
  private exchanges(
    inWindow: ReadonlyArray<{ at: number }>,
    to: number,
  ): { exchangeP50: number; exchangeP99: number; unanswered: number } {
    const times: number[] = [];
    let unanswered = 0;
    for (let i = 0; i < inWindow.length; i++) {
      const at = inWindow[i]?.at ?? 0;
      const next = inWindow[i + 1]?.at ?? to;
      const last = this.received.filter((r) => r > at && r < next).at(-1);
      if (last === undefined) unanswered += 1;
      else times.push(last - at);
    }
    times.sort((a, b) => a - b);
    return {
      exchangeP50: roundMs(percentile(times, 50)),
      exchangeP99: roundMs(percentile(times, 99)),
      unanswered,
    };
  }
}

export interface WindowFigures {
  seconds: number;
  readers: Array<{
    address: number;
    commandsPerSecond: number;
    periodP50: number;
    periodP99: number;
  }>;
  /** The first reader's period: one whole cycle over every reader. */
  cycleP50: number;
  cycleP99: number;
  /** The longest cycle seen. */
  cycleMax: number;
  exchangeP50: number;
  exchangeP99: number;
  unanswered: number;
}

/** Successive differences, sorted. */
function gaps(times: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < times.length; i++) out.push((times[i] ?? 0) - (times[i - 1] ?? 0));
  return out.sort((a, b) => a - b);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
