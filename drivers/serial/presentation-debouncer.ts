/**
 * Turns a reader's stream of sightings into presentations. An RDM6300 repeats its frame about
 * every 50 ms while a tag stays in the field, and one presentation must be one read (one
 * access decision, one event). So a sighting of the same card within `quietMs` of its
 * previous sighting belongs to the same presentation and extends it; a card that stays in
 * the field therefore never reads twice, however long it stays. A different card is always a
 * new presentation.
 *
 * Pure: time comes from the injected monotonic clock.
 */
export interface PresentationDebouncerOptions {
  quietMs?: number;
  now: () => number;
}

export class PresentationDebouncer {
  private readonly quietMs: number;
  private readonly now: () => number;
  private last: { card: string; seenAt: number } | null = null;

  constructor(options: PresentationDebouncerOptions) {
    this.quietMs = options.quietMs ?? 300;
    this.now = options.now;
  }

  /** True when `card` starts a new presentation. */
  accept(card: string): boolean {
    const seenAt = this.now();
    const previous = this.last;
    this.last = { card, seenAt };
    return !(previous && previous.card === card && seenAt - previous.seenAt <= this.quietMs);
  }
}
