import type { SimulatedOsdpReader } from '../drivers/osdp/sim/index.js';
import { CommandCode, ReplyCode } from '../drivers/osdp/codes.js';
import type { SentFrame } from './osdp-sim-line.js';
import type { SolenoidWatch } from './solenoid-watch.js';
import type { StageProbe } from './stage-probe.js';
import { pollUntil } from './wait.js';

/** One card read over OSDP, all in ms. */
export interface OsdpCardSample {
  /** The card held to the reader → the slot's solenoid on. */
  total: number;
  /** Held → the RAW reply carrying it written to the line: the wait for the bus's next POLL. */
  waitingForPoll: number;
  /** RAW reply written → solenoid: what the control panel and the cabinet take. */
  replyToSolenoid: number;
  /** RAW written → the runner has the badge: pty, serialport, frame, MAC, decryption, card number. */
  reading: number;
  /** → the step's records start: SQLite lookups, the decision (as in badge-latency). */
  deciding: number;
  /** The step's transaction, its fsync included. */
  committing: number;
  /** Commit end → solenoid. */
  driving: number;
}

export type CardOutcome =
  { ok: true; sample: OsdpCardSample } | { ok: false; why: 'no RAW reply' | 'no solenoid' };

/**
 * Presents one card to the simulated reader and times it: t0 is the instant the card is
 * available to the reader (`presentCard` queues its RAW read for the next POLL), tRaw the
 * return of the write(2) that put the RAW reply on the line, t1 the first slot solenoid written
 * on. `onSent` must be given every frame the readers write (OsdpSimLine's callback).
 */
export class OsdpCardSampler {
  private rawAt: number | null = null;
  private waitingForRaw = false;
  private lastPollAt = Number.NEGATIVE_INFINITY;
  /** The latest RAW reply as sent, for the bare pty floor (the same frame, same size). */
  lastRaw: Buffer | undefined;

  constructor(
    private readonly reader: SimulatedOsdpReader,
    private readonly watch: SolenoidWatch,
    private readonly stages: StageProbe,
    private readonly timeoutMs: number,
  ) {}

  readonly onSent = (frame: SentFrame): void => {
    if (frame.code !== ReplyCode.RAW) return;
    this.lastRaw = frame.bytes;
    if (!this.waitingForRaw) return;
    this.waitingForRaw = false;
    this.rawAt = frame.at;
  };

  readonly onCommand = (code: number, at: number): void => {
    if (code === CommandCode.POLL) this.lastPollAt = at;
  };

  /**
   * Resolves once the control panel has polled the reader after `since`: the commands the
   * cabinet queued for it by then (the granted LED, the previous session's dark one) have had
   * their turns, since they take POLL's place in order. False after `timeoutMs`.
   */
  polledSince(since: number, timeoutMs: number): Promise<boolean> {
    return pollUntil(() => this.lastPollAt > since, timeoutMs);
  }

  async present(bits: string): Promise<CardOutcome> {
    this.stages.take();
    this.rawAt = null;
    this.waitingForRaw = true;
    const released = this.watch.next(this.timeoutMs);
    const t0 = performance.now();
    this.reader.presentCard({ bits, format: 'raw' });
    const t1 = await released;
    this.waitingForRaw = false;
    const stages = this.stages.take();
    const rawAt = this.rawAt;
    if (rawAt === null) return { ok: false, why: 'no RAW reply' };
    if (t1 === null) return { ok: false, why: 'no solenoid' };
    if (stages === null) {
      throw new Error('a solenoid fired but the stage probe saw no commit for the card');
    }
    return {
      ok: true,
      sample: {
        total: t1 - t0,
        waitingForPoll: rawAt - t0,
        replyToSolenoid: t1 - rawAt,
        reading: stages.handled - rawAt,
        deciding: stages.commitStart - stages.handled,
        committing: stages.commitEnd - stages.commitStart,
        driving: t1 - stages.commitEnd,
      },
    };
  }
}

/** A seeded 10-hex-digit card as the 40 bits a reader sends, first bit most significant. */
export function cardBits(card: string): string {
  return BigInt(`0x${card}`)
    .toString(2)
    .padStart(card.length * 4, '0');
}
