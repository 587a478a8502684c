import type { CabinetInput } from '../domain/cabinet-inputs.js';
import type { ActiveAlarm, StorageAlarmType } from '../domain/cabinet-state.js';
import type { Clock } from '../domain/clock.js';
import type { NewEvent, RecordedEvent } from '../domain/events.js';
import type { Logger } from '../log/logger.js';
import { maskCard } from '../domain/mask-card.js';
import type { EventLog } from '../store/event-log.js';
import { sqliteCode, storageAlarmOf } from './storage-fault.js';

export interface StorageOutageOptions {
  log: EventLog;
  clock: Clock;
  logger: Logger;
  /** How often to try writing again while the database refuses writes. */
  probeMs?: number;
  /** Denials kept in memory until they can be recorded; beyond that they are only counted. */
  maxQueued?: number;
}

interface Outage {
  type: StorageAlarmType;
  code: string;
  since: string;
  denials: number;
  denialsDropped: number;
  inputsLost: number;
  queued: NewEvent[];
}

export const STORAGE_PROBE_MS = 2_000;
export const STORAGE_MAX_QUEUED = 100;

/**
 * The database refusing writes (disk full, read-only, corrupt). The cabinet cannot record, so
 * it releases nothing; this remembers what it could not record: the alarm (listed in the
 * retained `alarms`, which MQTT carries without the database), the badges it denied for it,
 * and how many other inputs went unrecorded. Every `probeMs` it tries to write all of that; the
 * first write that succeeds records the alarm, the denials and `alarm.cleared` together.
 */
export class StorageOutage {
  private outage: Outage | null = null;
  private nextProbeAt = 0;
  private readonly probeMs: number;
  private readonly maxQueued: number;

  constructor(private readonly options: StorageOutageOptions) {
    this.probeMs = options.probeMs ?? STORAGE_PROBE_MS;
    this.maxQueued = options.maxQueued ?? STORAGE_MAX_QUEUED;
  }

  get active(): boolean {
    return this.outage !== null;
  }

  /** The storage alarm while it is raised, for the retained `alarms` state. */
  alarms(): ActiveAlarm[] {
    return this.outage ? [{ type: this.outage.type, since: this.outage.since }] : [];
  }

  /**
   * A step's records could not be committed because of `err`. Returns whether this is a
   * storage failure and whether it raised the alarm (the first failure of an outage).
   */
  failed(err: unknown, input: CabinetInput): { storage: boolean; raised: boolean } {
    const type = storageAlarmOf(err);
    if (type === null) return { storage: false, raised: false };
    const { clock, logger } = this.options;
    const at = new Date(clock.wallMs()).toISOString();
    const raised = this.outage === null;
    const outage = (this.outage ??= {
      type,
      code: sqliteCode(err) ?? 'SQLITE_ERROR',
      since: at,
      denials: 0,
      denialsDropped: 0,
      inputsLost: 0,
      queued: [],
    });
    if (raised)
      logger.error({ err, alarm: type }, 'the database refuses writes; nothing is released');
    const denial = denialFor(input, at);
    if (denial) {
      outage.denials += 1;
      if (outage.queued.length < this.maxQueued) outage.queued.push(denial);
      else outage.denialsDropped += 1;
    } else if (input.kind !== 'tick') {
      outage.inputsLost += 1;
      logger.warn({ input }, 'input not recorded: the database refuses writes');
    }
    this.nextProbeAt = clock.monotonicMs() + this.probeMs;
    return { storage: true, raised };
  }

  /** A step committed: the database takes writes again, so the next probe need not wait. */
  committed(): void {
    if (this.outage) this.nextProbeAt = 0;
  }

  /**
   * While the alarm is raised and a probe is due, tries to record the outage. Returns what was
   * recorded (nothing while writes still fail).
   */
  probe(): RecordedEvent[] {
    const outage = this.outage;
    const { clock, log, logger } = this.options;
    if (!outage || clock.monotonicMs() < this.nextProbeAt) return [];
    this.nextProbeAt = clock.monotonicMs() + this.probeMs;
    const { type, queued, ...data } = outage;
    let recorded: RecordedEvent[];
    try {
      recorded = log.append([
        { type, data },
        ...queued,
        { type: 'alarm.cleared', data: { alarm: type, since: outage.since } },
      ]);
    } catch (err) {
      logger.debug({ err }, 'the database still refuses writes');
      return [];
    }
    this.outage = null;
    logger.info(
      { alarm: type, denials: data.denials, inputsLost: data.inputsLost },
      'the database accepts writes again',
    );
    return recorded;
  }
}

/** The denial a badge or a `release` gets when its decision cannot be recorded. */
function denialFor(input: CabinetInput, occurredAt: string): NewEvent | null {
  if (input.kind === 'badge')
    return {
      type: 'access.denied',
      data: { reason: 'storage', card: maskCard(input.card), occurredAt },
    };
  if (input.kind === 'remote_release')
    return {
      type: 'access.denied',
      data: {
        reason: 'storage',
        holderId: input.holderId,
        commandId: input.commandId,
        occurredAt,
      },
    };
  return null;
}
