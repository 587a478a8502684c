import type { InputPin } from '../../drivers/gpio/gpio.js';

/**
 * Two contacts of one relay, on two wires, that must agree. A plain contact cannot tell a
 * fire panel's relay closing from the cable shorted anywhere along its length; with a second
 * contact of the opposite kind (normally closed where the first is normally open) a short or a
 * cut changes one reading but not the other. So the pair reports only what both say; while they
 * disagree nothing changes, and a disagreement that lasts `disagreeMs` is trouble: reported
 * until they agree again.
 */
export class SupervisedContactPair {
  private agreed = false;
  private trouble = false;
  private troubleTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribes: Array<() => void> = [];

  constructor(
    private readonly first: InputPin,
    private readonly second: InputPin,
    private readonly disagreeMs: number,
    private readonly report: {
      /** Both contacts now say `active` (and said otherwise before). */
      agreed(active: boolean): void;
      /** The contacts disagreed for `disagreeMs` (true), or agree again after that (false). */
      trouble(active: boolean): void;
    },
  ) {}

  /** Reads both at once (an emergency already declared at start counts), then follows them. */
  start(): void {
    const evaluate = () => this.evaluate();
    this.unsubscribes.push(this.first.onChange(evaluate), this.second.onChange(evaluate));
    evaluate();
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    clearTimeout(this.troubleTimer);
    this.troubleTimer = undefined;
  }

  private evaluate(): void {
    const a = this.first.read();
    const b = this.second.read();
    if (a !== b) {
      if (this.troubleTimer === undefined && !this.trouble) {
        this.troubleTimer = setTimeout(() => {
          this.troubleTimer = undefined;
          this.trouble = true;
          this.report.trouble(true);
        }, this.disagreeMs);
      }
      return;
    }
    clearTimeout(this.troubleTimer);
    this.troubleTimer = undefined;
    if (this.trouble) {
      this.trouble = false;
      this.report.trouble(false);
    }
    if (a !== this.agreed) {
      this.agreed = a;
      this.report.agreed(a);
    }
  }
}
