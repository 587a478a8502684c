import { encodeRdm6300 } from '../src/sim/reader-frames.js';
import type { BenchCabinet } from './bench-cabinet.js';
import type { WriteMode } from './pty-writer.js';
import type { SolenoidWatch } from './solenoid-watch.js';
import type { StageProbe } from './stage-probe.js';

/** One badge, t0 = frame written, t1 = first slot solenoid on; all in ms. */
export interface BadgeSample {
  latency: number;
  /** t0 → the runner has the badge: pty delivery, serialport read, parser, debouncer. */
  reading: number;
  /** → commit start: the directory lookups (SQLite reads), the access decision, the step. */
  deciding: number;
  /** The step's SQLite transaction (access.granted), including its fsync. */
  committing: number;
  /** Commit end → solenoid: the previous session's relock, the door, then the release. */
  driving: number;
}

/** Presents one card to the running daemon and times it to the solenoid. */
export class BadgeSampler {
  constructor(
    private readonly cabinet: BenchCabinet,
    private readonly watch: SolenoidWatch,
    private readonly stages: StageProbe,
    private readonly timeoutMs: number,
  ) {}

  /** The sample, or null when no solenoid was energised within the timeout (a failure). */
  async present(card: string, mode: WriteMode): Promise<BadgeSample | null> {
    // Encoded before t0, as a reader's frame is complete before its last byte goes out.
    const frame = encodeRdm6300(card);
    this.stages.take();
    const released = this.watch.next(this.timeoutMs);
    const t0 = await this.cabinet.badge.write(frame, mode);
    const t1 = await released;
    const stages = this.stages.take();
    if (t1 === null) return null;
    // A release always follows the step's commit, so a solenoid without stages means the
    // probe no longer sees the daemon's commit: a broken measurement, not a missed badge.
    if (stages === null) {
      throw new Error('a solenoid fired but the stage probe saw no commit for the badge');
    }
    return {
      latency: t1 - t0,
      reading: stages.handled - t0,
      deciding: stages.commitStart - stages.handled,
      committing: stages.commitEnd - stages.commitStart,
      driving: t1 - stages.commitEnd,
    };
  }
}
