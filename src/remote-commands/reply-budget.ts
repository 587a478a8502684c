/**
 * How many refusals the cabinet answers: a token bucket of `burst` replies, refilled at `perSecond`.
 * A reply is itself a publish that whoever sent the refused message causes, so without a bound
 * a flood of garbage on `cmd/+` would be echoed back to the broker message for message. A server
 * that sends commands one at a time never comes near it; replies to accepted commands are not
 * counted against it (only a genuine signer can cause those).
 */
export class ReplyBudget {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly monotonicMs: () => number,
  ) {
    this.tokens = burst;
    this.lastMs = monotonicMs();
  }

  /** True, and one reply spent, when a refusal may be answered now. */
  take(): boolean {
    const now = this.monotonicMs();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastMs) / 1000) * this.perSecond);
    this.lastMs = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
