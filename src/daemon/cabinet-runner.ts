import { EventEmitter } from 'node:events';
import type { OutputPin } from '../../drivers/gpio/gpio.js';
import type { SolenoidBank } from '../../drivers/gpio/solenoid-bank.js';
import type { CabinetInput } from '../domain/cabinet-inputs.js';
import type { Effect, Signal } from '../domain/cabinet-effects.js';
import { alarmSounds } from '../domain/alarm-signals.js';
import { step, type StepContext } from '../domain/cabinet-flow.js';
import type { CabinetState } from '../domain/cabinet-state.js';
import type { NewEvent, RecordedEvent } from '../domain/events.js';
import type { Logger } from '../log/logger.js';
import type { EventLog } from '../store/event-log.js';
import { StorageOutage } from './storage-outage.js';

export interface CabinetOutputs {
  solenoids: SolenoidBank;
  doorLock: OutputPin;
  green: OutputPin;
  red: OutputPin;
  buzzer: OutputPin;
}

/**
 * Somewhere else the cabinet's signals show: an OSDP badge reader's LED and buzzer
 * (drivers/osdp/cabinet/feedback.ts), as the profile's `osdp.feedback` says.
 */
export interface SignalFeedback {
  /** False when it could not show the signal (its reader offline, behind): the pins do then. */
  show(signal: Signal): boolean;
  /** A signal it showed is not shown on the Pi's indicator pins too. */
  readonly replacesPins: boolean;
}

interface RunnerEvents {
  recorded: [events: RecordedEvent[]];
  input: [input: CabinetInput];
  /** The cabinet's state changed (after its effects were applied). */
  state: [state: CabinetState];
}

/** How long the red LED and the buzzer sound for a denial or an alarm. */
const DENIED_MS = 1_000;
const ALARM_MS = 2_000;
const AWAITING_MS = 300;
/** One chirp of the held-open countdown: short enough to tell apart from the alarm itself. */
const PRE_ALARM_BEEP_MS = 150;
/**
 * The console's event-log filters are filled after the commit, off the badge's path
 * (migration 014): at most one fill a second, so a burst of badges costs one more commit, not
 * one each, and a tick looks whether anything else (a custodian's change, a command) recorded
 * events meanwhile. Until then the search reads the newest events from the log itself.
 */
const FILTER_FILL_DELAY_MS = 1_000;
/** Events per fill: a backlog (events recorded while the daemon was down) goes in short steps. */
const FILTER_FILL_BATCH = 500;

/**
 * The imperative shell around the cabinet flow: feeds it one input at a time, commits the
 * step's records, and only then drives the hardware. If the commit fails, no hardware effect
 * of that step happens: an unrecorded release must never occur.
 */
export class CabinetRunner extends EventEmitter<RunnerEvents> {
  private state: CabinetState;
  private readonly timers = new Set<NodeJS.Timeout>();
  private filterFill: NodeJS.Timeout | undefined;
  /** A failed fill is logged once, not every second while the database refuses writes. */
  private filterFillFailing = false;
  /** The database refusing writes: its alarm, and the denials it caused (storage-outage.ts). */
  readonly storage: StorageOutage;
  private feedback: SignalFeedback | undefined;

  constructor(
    initial: CabinetState,
    private readonly ctx: StepContext,
    private readonly log: EventLog,
    private readonly outputs: CabinetOutputs,
    private readonly logger: Logger,
  ) {
    super();
    this.state = initial;
    this.storage = new StorageOutage({ log, clock: ctx.clock, logger });
  }

  /**
   * Where else the signals show from now on (undefined: the pins only). Set by the readers'
   * service once its reader exists; the runner is made before the readers.
   */
  useSignalFeedback(feedback: SignalFeedback | undefined): void {
    this.feedback = feedback;
  }

  get current(): CabinetState {
    return this.state;
  }

  /** What the flow decides with (read by the cabinet screen's view). */
  get context(): StepContext {
    return this.ctx;
  }

  /**
   * `inTransaction` runs inside the step's transaction, after the step and before its records
   * are written, with the next state; the events it returns are recorded first. The command
   * intake uses it so that accepting a command commits with what the command did, or not at all.
   */
  handle(input: CabinetInput, inTransaction?: (next: CabinetState) => NewEvent[]): RecordedEvent[] {
    return this.run(input, inTransaction) ?? [];
  }

  /**
   * A badge, unless `wantedElsewhere`, asked first inside the step's own transaction, says the
   * card is wanted for something else (an enrolment waiting for the next card tapped): then
   * nothing is decided, recorded or driven, and false is returned. Asked there rather than before, the
   * question costs no transaction of its own on the badge's path, and a request committed
   * before the badge's transaction is seen while one committed after it waits for the next card.
   */
  handleBadge(card: string, wantedElsewhere: () => boolean): boolean {
    return this.run({ kind: 'badge', card }, undefined, wantedElsewhere) !== null;
  }

  /** The step for one input; null when `skip` said to leave it alone. */
  private run(
    input: CabinetInput,
    inTransaction?: (next: CabinetState) => NewEvent[],
    skip?: () => boolean,
  ): RecordedEvent[] | null {
    this.resumeStorage();
    let result: ReturnType<typeof step>;
    let recorded: RecordedEvent[];
    try {
      // One transaction: the step reads one snapshot of the policy (a permission sync committed
      // by another connection is seen whole or not at all) and its records commit with it.
      const done = this.log.transaction(() => {
        if (skip?.()) return null;
        const result = step(this.state, input, this.ctx);
        const records = [
          ...(inTransaction?.(result.state) ?? []),
          ...result.effects.flatMap((e): NewEvent[] => (e.kind === 'record' ? [e.event] : [])),
        ];
        return {
          result,
          recorded: records.length > 0 ? this.log.appendInTransaction(records) : [],
        };
      });
      if (done === null) return null;
      ({ result, recorded } = done);
    } catch (err) {
      this.commitFailed(err, input);
      return [];
    }
    // Only a write proves the database takes writes: an empty transaction succeeds on a full disk.
    if (recorded.length > 0) this.storage.committed();
    const changed = result.state !== this.state;
    this.state = result.state;
    if (input.kind !== 'tick') this.emit('input', input);
    for (const effect of result.effects) this.apply(effect);
    if (recorded.length > 0) this.emit('recorded', recorded);
    if (recorded.length > 0 || input.kind === 'tick') this.scheduleFilterFill();
    if (changed && (input.kind !== 'tick' || result.effects.length > 0))
      this.emit('state', this.state);
    return recorded;
  }

  /**
   * Fail secure: keep the previous state, act on nothing, lock everything. A badge (or a
   * `release`) is told no; a storage failure raises its alarm (storage-outage.ts).
   */
  private commitFailed(err: unknown, input: CabinetInput): void {
    const { storage, raised } = this.storage.failed(err, input);
    if (!storage)
      this.logger.error(
        { err, input: input.kind },
        'could not record events; nothing was released',
      );
    this.outputs.solenoids.lockAll();
    this.outputs.doorLock.write(false);
    if (input.kind === 'badge' || input.kind === 'remote_release') this.signal('denied');
    const alarm = this.storage.alarms()[0];
    if (raised && alarm) {
      if (alarmSounds(alarm.type)) this.signal('alarm');
      this.emit('state', this.state);
    }
  }

  /** While the storage alarm is raised, records the outage as soon as writes work again. */
  private resumeStorage(): void {
    const recorded = this.storage.probe();
    if (recorded.length === 0) return;
    this.emit('recorded', recorded);
    this.emit('state', this.state);
  }

  /** Fills the console's event filters a while after the solenoid moved: see above. */
  private scheduleFilterFill(): void {
    if (this.filterFill) return;
    this.filterFill = setTimeout(() => {
      this.filterFill = undefined;
      try {
        // A read first: when nothing is new, no write lock is taken.
        if (!this.log.searchFiltersBehind()) return;
        if (this.log.fillSearchFilters(FILTER_FILL_BATCH) === FILTER_FILL_BATCH)
          this.scheduleFilterFill();
        this.filterFillFailing = false;
      } catch (err) {
        // Nothing is lost: the search reads the events not yet filled from the log itself, and
        // the next tick tries again.
        if (!this.filterFillFailing)
          this.logger.warn({ err }, 'could not fill the event log search filters');
        this.filterFillFailing = true;
      }
    }, FILTER_FILL_DELAY_MS);
    this.filterFill.unref();
  }

  /** Everything off, timers cleared: used on stop. */
  shutdown(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearTimeout(this.filterFill);
    this.filterFill = undefined;
    this.outputs.solenoids.lockAll();
    for (const pin of [
      this.outputs.doorLock,
      this.outputs.green,
      this.outputs.red,
      this.outputs.buzzer,
    ]) {
      pin.write(false);
    }
  }

  private apply(effect: Effect): void {
    switch (effect.kind) {
      case 'record':
        return;
      case 'door':
        this.outputs.doorLock.write(effect.unlocked);
        return;
      case 'release': {
        const outcome = this.outputs.solenoids.release(effect.slot, effect.ms);
        if (outcome === 'refused')
          this.logger.warn({ slot: effect.slot }, 'solenoid release refused');
        return;
      }
      case 'lock':
        this.outputs.solenoids.lock(effect.slot);
        return;
      case 'signal':
        this.signal(effect.signal);
        return;
      default: {
        const never: never = effect;
        throw new Error(`unhandled effect ${JSON.stringify(never)}`);
      }
    }
  }

  private signal(signal: Signal): void {
    const shownElsewhere = this.showElsewhere(signal);
    // The end of a session always reaches the pins: the green one may have been lit while the
    // reader was away, and switching a pin off is never wrong.
    if (shownElsewhere && signal !== 'session_ended') return;
    switch (signal) {
      case 'granted':
        this.outputs.green.write(true);
        return;
      case 'session_ended':
        this.outputs.green.write(false);
        return;
      case 'denied':
        this.pulse(this.outputs.red, DENIED_MS);
        return;
      case 'alarm':
        this.pulse(this.outputs.red, ALARM_MS);
        this.pulse(this.outputs.buzzer, ALARM_MS);
        return;
      case 'awaiting_entry':
        // A short green blink: the badge was read, type the PIN (or wait for the second person).
        this.pulse(this.outputs.green, AWAITING_MS);
        return;
      case 'pre_alarm':
        // The flow sends one a second; a short chirp each is the countdown to the alarm.
        this.pulse(this.outputs.buzzer, PRE_ALARM_BEEP_MS);
        return;
      default: {
        const never: never = signal;
        throw new Error(`unhandled signal ${String(never)}`);
      }
    }
  }

  /** True when the feedback showed the signal and replaces the pins. */
  private showElsewhere(signal: Signal): boolean {
    const feedback = this.feedback;
    if (feedback === undefined) return false;
    try {
      return feedback.show(signal) && feedback.replacesPins;
    } catch (err) {
      // The signal is a courtesy to the person at the reader: it must never stop a step.
      this.logger.warn({ err, signal }, 'signal feedback failed; shown on the pins');
      return false;
    }
  }

  private pulse(pin: OutputPin, ms: number): void {
    pin.write(true);
    const t = setTimeout(() => {
      this.timers.delete(t);
      pin.write(false);
    }, ms);
    this.timers.add(t);
  }
}
