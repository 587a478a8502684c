import { encodeRdm6300 } from '../src/sim/reader-frames.js';
import type { BenchCabinet } from './bench-cabinet.js';
import type { CommitProbe } from './commit-probe.js';
import type { WriteMode } from './pty-writer.js';
import type { SolenoidWatch } from './solenoid-watch.js';

/** One badge, t0 = frame written, t1 = first slot solenoid on; all in ms. */
export interface BadgeSample {
  latency: number;
  /** t0 → commit start: pty delivery, serialport read, parsing, debouncing, lookups, step. */
  beforeCommit: number;
  /** The step's SQLite transaction (access.granted), including its fsync. */
  commit: number;
  /** Commit end → solenoid: the previous session's relock, then the door, then the release. */
  afterCommit: number;
}

/** Presents one card to the running daemon and times it to the solenoid. */
export class BadgeSampler {
  constructor(
    private readonly cabinet: BenchCabinet,
    private readonly watch: SolenoidWatch,
    private readonly commits: CommitProbe,
    private readonly timeoutMs: number,
  ) {}

  /** The sample, or null when no solenoid was energised within the timeout (a failure). */
  async present(card: string, mode: WriteMode): Promise<BadgeSample | null> {
    // Encoded before t0, as a reader's frame is complete before its last byte goes out.
    const frame = encodeRdm6300(card);
    this.commits.take();
    const released = this.watch.next(this.timeoutMs);
    const t0 = await this.cabinet.badge.write(frame, mode);
    const t1 = await released;
    const commit = this.commits.take();
    if (t1 === null || commit === null) return null;
    return {
      latency: t1 - t0,
      beforeCommit: commit.start - t0,
      commit: commit.end - commit.start,
      afterCommit: t1 - commit.end,
    };
  }
}
