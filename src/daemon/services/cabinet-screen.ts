import type { CabinetState } from '../../domain/cabinet-state.js';
import type { NewEvent, RecordedEvent } from '../../domain/events.js';
import type {
  ScreenFeed,
  ScreenInput,
  ScreenInputOutcome,
} from '../../domain/screen/screen-input.js';
import { NO_NOTICE, noteEvents, type ScreenNotice } from '../../domain/screen/screen-notice.js';
import {
  screenView,
  type ScreenDirectory,
  type ScreenView,
} from '../../domain/screen/screen-view.js';
import type { Database } from '../../store/database.js';
import { listReasonCodes } from '../../store/custodian/tiers.js';
import type { SqliteDirectory } from '../../store/sqlite-directory.js';
import type { CabinetRunner } from '../cabinet-runner.js';
import type { KeypadEntries } from '../keypad-entries.js';
import type { Logger } from '../../log/logger.js';
import type { Service } from '../service.js';

/** A PIN is 1–12 digits on the keypad's wire (drivers/serial/keypad-line.ts); the pad keeps to it. */
const MAX_DIGITS = 12;
/** Reason codes are 1–6 digits (migration 006). */
const REASON_CODE = /^[0-9]{1,6}$/;
/**
 * Inputs the screen may send: a burst of 20, then 5 a second. A person taps slower than that;
 * a process flooding the endpoint is answered `busy` and reaches nothing.
 */
export const BURST = 20;
const PER_SECOND = 5;
/** Countdowns move once a second; checking twice as often keeps them on time. */
const REFRESH_MS = 500;

export interface CabinetScreenParts {
  runner: CabinetRunner;
  db: Database;
  directory: SqliteDirectory;
  keypad: Pick<KeypadEntries, 'enter'>;
  timeZone: string;
  logger: Logger;
}

/**
 * The cabinet screen's feed: the view of the live session (src/domain/screen/screen-view.ts),
 * recomputed when the runner records events or changes state and twice a second for the
 * countdowns, and the screen's inputs turned into the flow's, as the keypad's are. The PIN
 * digits typed on the screen stay here until entered, are checked like the keypad's, and are
 * forgotten when the entry they were typed for ends.
 */
export class CabinetScreen implements ScreenFeed {
  private notice: ScreenNotice = NO_NOTICE;
  private digits = '';
  /** The entry the digits belong to; a new badge or stage starts them again. */
  private entry: string | null = null;
  private checking = false;
  private scheduled = false;
  private stopped = false;
  private current: ScreenView;
  private shown: string;
  private readonly listeners = new Set<(view: ScreenView) => void>();
  private tokens = BURST;
  private tokensAt: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly directory: ScreenDirectory;

  constructor(private readonly parts: CabinetScreenParts) {
    const { directory, db } = parts;
    this.directory = {
      openLoansOf: (id) => directory.openLoansOf(id),
      keyById: (id) => directory.keyById(id),
      keyByTag: (tag) => directory.keyByTag(tag),
      keyByHomeSlot: (slot) => directory.keyByHomeSlot(slot),
      holder: (id) => directory.holder(id),
      reasonCodeChoices: () => listReasonCodes({ db }),
    };
    this.tokensAt = this.monotonicMs();
    this.current = this.compute();
    this.shown = JSON.stringify(this.current);
  }

  start(): void {
    const { runner } = this.parts;
    runner.on('recorded', this.onRecorded);
    runner.on('state', this.onState);
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    const { runner } = this.parts;
    runner.off('recorded', this.onRecorded);
    runner.off('state', this.onState);
    clearInterval(this.timer);
    this.listeners.clear();
  }

  view(): ScreenView {
    return this.current;
  }

  onChange(listener: (view: ScreenView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async input(input: ScreenInput): Promise<ScreenInputOutcome> {
    if (!this.takeToken()) return 'busy';
    const outcome = await this.apply(input);
    this.refresh();
    return outcome;
  }

  private async apply(input: ScreenInput): Promise<ScreenInputOutcome> {
    const { runner } = this.parts;
    const state = runner.current;
    this.forgetStaleDigits(state);
    const stage = state.pending?.stage;
    const typing = stage === 'pin' || stage === 'reason_code';
    switch (input.kind) {
      case 'digit':
        if (!/^[0-9]$/.test(input.digit)) return 'invalid';
        if (!typing) return 'not_awaited';
        if (this.digits.length >= MAX_DIGITS) return 'invalid';
        this.digits += input.digit;
        return 'accepted';
      case 'clear':
        if (!typing) return 'not_awaited';
        this.digits = '';
        return 'accepted';
      case 'submit': {
        if (!typing || this.digits.length === 0) return 'not_awaited';
        // One PIN check at a time: a second submit while scrypt runs would be a second guess.
        if (this.checking) return 'busy';
        const digits = this.digits;
        this.digits = '';
        this.checking = true;
        try {
          await this.parts.keypad.enter({ kind: 'pin', digits });
        } finally {
          this.checking = false;
        }
        return 'accepted';
      }
      case 'cancel':
        if (!state.pending) return 'not_awaited';
        this.digits = '';
        runner.handle({ kind: 'entry_cancel' });
        return 'accepted';
      case 'reason':
        if (!REASON_CODE.test(input.code)) return 'invalid';
        if (stage !== 'reason_code') return 'not_awaited';
        this.digits = '';
        runner.handle({ kind: 'reason_code', code: input.code });
        return 'accepted';
      case 'pick': {
        const { slots } = input;
        const wellFormed =
          Array.isArray(slots) &&
          slots.length >= 1 &&
          slots.length <= runner.context.settings.slotCount &&
          slots.every((slot) => Number.isSafeInteger(slot));
        if (!wellFormed) return 'invalid';
        if (!state.session?.offered) return 'not_awaited';
        // The flow decides: a pick outside the offer is refused there, and recorded.
        runner.handle({ kind: 'screen_pick', slots: [...slots] });
        return 'accepted';
      }
      default: {
        const never: never = input;
        return never;
      }
    }
  }

  private readonly onRecorded = (events: RecordedEvent[]): void => {
    // The log wrote each as the NewEvent the flow made: type and data belong together.
    const made = events.map((e) => ({ type: e.type, data: e.data }) as NewEvent);
    this.notice = noteEvents(this.notice, made, this.monotonicMs());
    this.scheduleRefresh();
  };

  private readonly onState = (): void => this.scheduleRefresh();

  private refresh(): void {
    // A refresh scheduled before the stop finds the database closed: nothing left to show.
    if (this.stopped) return;
    let next: ScreenView;
    try {
      this.forgetStaleDigits(this.parts.runner.current);
      next = this.compute();
    } catch (err) {
      // The screen is a window on the cabinet: its fault must never stop the cabinet.
      this.parts.logger.error({ err }, 'the cabinet screen could not be updated');
      return;
    }
    const text = JSON.stringify(next);
    if (text === this.shown) return;
    this.current = next;
    this.shown = text;
    for (const listener of this.listeners) listener(next);
  }

  private compute(): ScreenView {
    const { runner, timeZone } = this.parts;
    const { settings, clock } = runner.context;
    const ctx = { settings, clock, timeZone, directory: this.directory, typed: this.digits.length };
    // The shell's own storage alarm too: whoever is at the cabinet should call a custodian.
    const state = runner.current;
    const storage = runner.storage.alarms();
    const shown =
      storage.length === 0 ? state : { ...state, alarms: [...state.alarms, ...storage] };
    return screenView(shown, this.notice, ctx);
  }

  /**
   * A step emits its records and its new state one after the other: one recomputation after
   * both, off the runner's call, so the badge's path to the solenoid never waits for the screen.
   */
  private scheduleRefresh(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.refresh();
    });
  }

  /** Digits typed for an entry that has ended (another badge, a timeout) are not carried over. */
  private forgetStaleDigits(state: CabinetState): void {
    const pending = state.pending;
    const entry = pending ? `${pending.stage}:${pending.credentialId}:${pending.expiresAt}` : null;
    if (entry === this.entry) return;
    this.entry = entry;
    this.digits = '';
  }

  /** Inputs the screen may send now without being answered `busy`. */
  budget(): number {
    const now = this.monotonicMs();
    const refill = ((now - this.tokensAt) / 1000) * PER_SECOND;
    this.tokens = Math.min(BURST, this.tokens + refill);
    this.tokensAt = now;
    return Math.floor(this.tokens);
  }

  private takeToken(): boolean {
    if (this.budget() < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private monotonicMs(): number {
    return this.parts.runner.context.clock.monotonicMs();
  }
}

/** The cabinet screen's feed, started with the other inputs (it is one) and stopped before them. */
export function cabinetScreenService(parts: CabinetScreenParts): Service<CabinetScreen> {
  const screen = new CabinetScreen(parts);
  return {
    name: 'cabinet screen',
    start() {
      screen.start();
      return screen;
    },
    stop() {
      screen.stop();
    },
  };
}
