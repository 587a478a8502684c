import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { CustodianClient } from '../../app/custodian-client.js';
import { AlarmsSchema, SlotsSchema } from '../routes/overview-schemas.js';

/**
 * What a live message (`ready`, `change`) tells an overview page: the slot map and the alarms
 * in force as `GET /api/overview/slots` and `GET /api/alarms` give them, read after the event
 * log had reached `seq` (so they hold at least every event up to it).
 */
export interface LiveOverview {
  seq: number;
  slots: Static<typeof SlotsSchema>;
  alarms: Static<typeof AlarmsSchema>;
}

/** One read of the overview, serialised once as each message that carries it. */
export interface OverviewSnapshot {
  seq: number;
  /** `event: ready` for a stream that joins. */
  ready: Buffer;
  /** `event: change` for the streams already told an older overview. */
  change: Buffer;
}

/**
 * The overview as the live streams were last told it, kept up with the cabinet's event log.
 * `follow` asks the daemon for the log's latest seq only; only when it moved is the overview
 * read (its two parts asked together, one round trip on the console's connection), and only
 * when what it shows differs is there something to tell: a badge that released a slot and was
 * recorded, but took no key, changes nothing a page shows, and no stream hears of it.
 */
export class OverviewSnapshots {
  private seq: number | null = null;
  private view: string | null = null;
  private current: OverviewSnapshot | null = null;

  /** The overview as last read, or null before the first read. */
  get latest(): OverviewSnapshot | null {
    return this.current;
  }

  /**
   * Reads the log's end, then the overview if the log moved (or nothing was read yet). Returns
   * the new snapshot when it differs from one already told, null otherwise (and at the first
   * read, which only readies the streams).
   */
  async follow(client: CustodianClient): Promise<OverviewSnapshot | null> {
    // No event past the largest seq: this reads the latest seq and nothing else.
    const { latestSeq } = await client.events.after(Number.MAX_SAFE_INTEGER, 1);
    if (this.current !== null && latestSeq === this.seq) return null;
    const [slots, alarms] = await Promise.all([client.slots.overview(), client.alarms.active()]);
    this.seq = latestSeq;
    // As the routes send them: only what their response schemas name, nothing else the
    // application layer's rows may carry (the answers are this read's own: cleaned in place).
    const view = JSON.stringify({
      slots: Value.Clean(SlotsSchema, slots),
      alarms: Value.Clean(AlarmsSchema, alarms),
    });
    const first = this.current === null;
    if (!first && view === this.view) return null;
    this.view = view;
    // `{"seq":N,"slots":…,"alarms":…}` without serialising the overview a second time.
    const data = `{"seq":${latestSeq},${view.slice(1)}`;
    this.current = {
      seq: latestSeq,
      ready: Buffer.from(`event: ready\ndata: ${data}\n\n`),
      change: Buffer.from(`event: change\ndata: ${data}\n\n`),
    };
    return first ? null : this.current;
  }

  /** No stream follows any more: the next one starts from a fresh read. */
  forget(): void {
    this.seq = null;
    this.view = null;
    this.current = null;
  }
}
