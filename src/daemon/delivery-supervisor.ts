import type { KeywardenConfig } from '../config/config.js';
import type { RecordingClock } from '../domain/clock.js';
import type { ActiveAlarm } from '../domain/cabinet-state.js';
import type { Logger } from '../log/logger.js';
import { parseAck } from '../mqtt/ack-message.js';
import type { EventLog } from '../store/event-log.js';

const DAY_MS = 86_400_000;
/** The backlog alarm clears only well below the ceiling, so it does not flap. */
const CLEAR_FRACTION = 0.9;

/**
 * What happens to events after they are recorded, on the central server's side of things:
 * its acknowledgements, pruning what it holds once the retention has passed, and the alarm
 * when too much waits for it.
 */
export class DeliverySupervisor {
  private backlogAlarm: ActiveAlarm | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly config: KeywardenConfig['delivery'],
    private readonly clock: RecordingClock,
    private readonly logger: Logger,
    private readonly changed: () => void,
  ) {}

  /** The shell's own alarms, for the retained `alarms` state. */
  alarms(): ActiveAlarm[] {
    return this.backlogAlarm ? [this.backlogAlarm] : [];
  }

  onAck(topic: string, payload: Buffer): void {
    const ack = parseAck(payload);
    if (!ack.ok) {
      this.logger.warn({ topic, reason: ack.reason }, 'ignored a malformed acknowledgement');
      return;
    }
    const result = this.log.acknowledge(ack.seq);
    if (result === 'ahead') {
      this.logger.warn(
        { seq: ack.seq, lastSeq: this.log.lastSeq() },
        'ignored an acknowledgement beyond the last recorded event',
      );
      return;
    }
    if (result === 'acknowledged') {
      this.logger.debug({ seq: ack.seq }, 'central server acknowledged');
      this.checkBacklog();
      this.changed();
    }
  }

  /** Raises or clears storage.backlog; call after events are recorded and after acknowledgements. */
  checkBacklog(): void {
    const waiting = this.log.unacknowledged();
    const limit = this.config.maxUnacknowledged;
    if (!this.backlogAlarm && waiting > limit) {
      const since = new Date(this.clock.wallMs()).toISOString();
      this.log.append([{ type: 'storage.backlog', data: { unacknowledged: waiting, limit } }]);
      this.backlogAlarm = { type: 'storage.backlog', since };
      this.logger.error(
        { waiting, limit },
        'too many events wait for the central server’s acknowledgement',
      );
      this.changed();
    } else if (this.backlogAlarm && waiting <= limit * CLEAR_FRACTION) {
      const { since } = this.backlogAlarm;
      this.backlogAlarm = null;
      this.log.append([{ type: 'alarm.cleared', data: { alarm: 'storage.backlog', since } }]);
      this.changed();
    }
  }

  /** Deletes acknowledged events older than the retention, in batches. */
  prune(): number {
    const cutoff = this.clock.wallMs() - this.config.retentionDays * DAY_MS;
    let total = 0;
    for (let n = this.log.prune(cutoff); n > 0; n = this.log.prune(cutoff)) total += n;
    if (total > 0)
      this.logger.info(
        { pruned: total, firstSeq: this.log.firstSeq() },
        'pruned acknowledged events',
      );
    return total;
  }
}
