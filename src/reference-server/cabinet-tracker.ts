import { checkLink, type ChainCheck } from '../contract/event-chain.js';
import type { RecordedEvent } from '../domain/events.js';

/** What one arrival (or learning the acknowledged position) tells about a cabinet's stream. */
export type TrackerNotice =
  /** First arrival of this event: hand it on, exactly once. */
  | { kind: 'event'; event: RecordedEvent }
  /** The same event again (QoS 1 redelivery, a replay): ignore it. */
  | { kind: 'duplicate'; seq: number; id: string }
  /** The same seq with another id: the cabinet's database was replaced or restored. */
  | { kind: 'conflict'; seq: number; id: string; knownId: string }
  /** Sequence numbers now known to be missing (they may still arrive). */
  | { kind: 'gap'; from: number; to: number }
  /** An event whose hash is wrong, or whose prevHash is not the hash of the event before it. */
  | { kind: 'chain'; seq: number; reason: 'hash_mismatch' | 'broken_link' };

export interface TrackerOptions {
  /** How many recent seq → id pairs are kept to tell duplicates from conflicts. */
  window?: number;
}

/**
 * One cabinet's event stream as a central server sees it: de-duplicates by id, notices
 * sequence gaps and out-of-order arrivals, checks the hash chain in sequence order, and knows
 * the highest gap-free seq, which is what may be acknowledged.
 *
 * The starting point is the cabinet's own `lastAckedSeq` (its retained status): everything up
 * to it is held by the central server already. Until it is known nothing can be acknowledged,
 * because an acknowledgement covers every seq below it, including any never seen here.
 */
export class CabinetTracker {
  /** Highest seq with nothing missing at or below it; undefined until the position is known. */
  private contiguous: number | undefined;
  /** Hash of the event at `contiguous`, when it was seen here. */
  private headHash: string | undefined;
  /** Events seen above `contiguous` (or before the position was known), by seq. */
  private readonly pending = new Map<number, RecordedEvent>();
  /** Highest seq seen so far (0 before any): a new event above it + 1 opens a gap. */
  private highest = 0;
  /** The highest seq the cabinet announced as published (retained status). */
  private announced = 0;
  /** Ids of recently seen seqs; oldest first (Map keeps insertion order) for eviction. */
  private readonly seen = new Map<number, string>();
  private readonly window: number;

  constructor(
    readonly cabinetId: string,
    options: TrackerOptions = {},
  ) {
    this.window = options.window ?? 100_000;
  }

  /** The highest gap-free seq (what to acknowledge); undefined until the position is known. */
  get position(): number | undefined {
    return this.contiguous;
  }

  /**
   * The first missing seq while events above a gap wait, or while the cabinet says it has
   * published more than arrived here (a lost tail has no later event to reveal it); undefined
   * when nothing is missing.
   */
  get firstMissing(): number | undefined {
    if (this.contiguous === undefined) return undefined;
    const missing = this.pending.size > 0 || this.announced > this.contiguous;
    return missing ? this.contiguous + 1 : undefined;
  }

  /**
   * What the cabinet's status says it has published (its lastSeq less its outbox depth): events
   * up to there exist, whether or not they arrived.
   */
  announce(publishedUpTo: number): void {
    this.announced = Math.max(this.announced, publishedUpTo);
  }

  /**
   * Sets the starting point from the cabinet's acknowledged seq. Only the first call counts:
   * later ones (the status is republished at every change) never move the position, which
   * only arrivals do.
   */
  start(ackedSeq: number): TrackerNotice[] {
    if (this.contiguous !== undefined) return [];
    this.contiguous = ackedSeq;
    const notices: TrackerNotice[] = [];
    let previous = ackedSeq;
    for (const seq of [...this.pending.keys()].sort((a, b) => a - b)) {
      const event = this.pending.get(seq);
      if (!event) continue;
      if (seq <= ackedSeq) {
        // Arrived before the position was known, and already acknowledged: in the past.
        this.pending.delete(seq);
        this.checkOwnHash(event, notices);
        continue;
      }
      if (seq > previous + 1) notices.push({ kind: 'gap', from: previous + 1, to: seq - 1 });
      previous = seq;
    }
    this.highest = Math.max(this.highest, ackedSeq);
    this.advance(notices);
    return notices;
  }

  receive(event: RecordedEvent): TrackerNotice[] {
    const known = this.seen.get(event.seq) ?? this.pending.get(event.seq)?.id;
    if (known === event.id) return [{ kind: 'duplicate', seq: event.seq, id: event.id }];
    if (known !== undefined) {
      return [{ kind: 'conflict', seq: event.seq, id: event.id, knownId: known }];
    }
    this.remember(event);
    const notices: TrackerNotice[] = [{ kind: 'event', event }];
    if (this.contiguous === undefined) {
      this.pending.set(event.seq, event);
      this.highest = Math.max(this.highest, event.seq);
      return notices;
    }
    if (event.seq <= this.contiguous) {
      // Below the position: acknowledged before this tracker started. Only its own hash can
      // be checked; its predecessor was never seen here.
      this.checkOwnHash(event, notices);
      return notices;
    }
    if (event.seq > this.highest + 1) {
      notices.push({ kind: 'gap', from: this.highest + 1, to: event.seq - 1 });
    }
    this.highest = Math.max(this.highest, event.seq);
    this.pending.set(event.seq, event);
    this.advance(notices);
    return notices;
  }

  /** Moves the position over every consecutive pending event, checking each link in order. */
  private advance(notices: TrackerNotice[]): void {
    if (this.contiguous === undefined) return;
    for (let next = this.pending.get(this.contiguous + 1); next;) {
      this.pending.delete(next.seq);
      const link = safeLink(next, this.headHash);
      if (!link.ok) notices.push({ kind: 'chain', seq: next.seq, reason: link.reason });
      this.contiguous = next.seq;
      this.headHash = next.hash;
      next = this.pending.get(this.contiguous + 1);
    }
  }

  private checkOwnHash(event: RecordedEvent, notices: TrackerNotice[]): void {
    const link = safeLink(event, undefined);
    if (!link.ok) notices.push({ kind: 'chain', seq: event.seq, reason: link.reason });
  }

  private remember(event: RecordedEvent): void {
    this.seen.set(event.seq, event.id);
    if (this.seen.size <= this.window) return;
    const oldest = this.seen.keys().next();
    if (!oldest.done) this.seen.delete(oldest.value);
  }
}

/** checkLink, for an event that may not even be encodable (a number with a fraction): unhashable is a mismatch. */
function safeLink(event: RecordedEvent, previousHash: string | undefined): ChainCheck {
  try {
    return checkLink(event, previousHash);
  } catch {
    return { ok: false, reason: 'hash_mismatch' };
  }
}
