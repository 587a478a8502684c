import type { DriverLogger } from '../../logger.js';
import { BuzzerTone, LedColor, type Command, type LedState } from '../commands.js';
import type { OsdpBus } from '../link/bus-api.js';

/**
 * The cabinet's signals (src/domain/cabinet-effects.ts's Signal, spelled out here because a
 * driver does not import the domain; the daemon's wiring fails to compile if they part) shown
 * on an OSDP reader's LED and buzzer instead of, or as well as, the Pi's indicator pins.
 */
export type ReaderSignal =
  'granted' | 'denied' | 'session_ended' | 'alarm' | 'awaiting_entry' | 'pre_alarm';

export interface FeedbackSettings {
  /** The reader number behind the PD (0 for a single reader; not the bus address). */
  reader: number;
  /** How long "awaiting PIN" blinks at most (the PIN and reason-code wait), in ms. */
  entryMs: number;
}

/** Times in the commands are in 100 ms. */
const UNIT_MS = 100;
const DENIED_UNITS = 10;
const ALARM_UNITS = 20;
const PRE_ALARM_UNITS = 1;

const OFF: LedState = { control: 0, onTime: 0, offTime: 0, onColor: 0, offColor: 0 };
/** A steady colour: with on and off times 0 the LED shows the off colour. */
const steady = (color: number): LedState => ({
  control: 1,
  onTime: 0,
  offTime: 0,
  onColor: color,
  offColor: color,
});

/**
 * The commands that show one signal, pure: granted green steady (until the session ends),
 * denied a red blink for 1 s, awaiting PIN an amber blink for the entry time (ended by what
 * follows), alarm a fast red blink with the buzzer for 2 s, pre_alarm one 100 ms chirp, and the
 * session's end back to dark. The blinks are the reader's temporary state, so its permanent
 * state (green during a session) returns by itself when they end.
 */
export function feedbackCommands(signal: ReaderSignal, settings: FeedbackSettings): Command[] {
  const { reader } = settings;
  const led = (temporary: LedState & { timer: number }, permanent: LedState): Command => ({
    kind: 'LED',
    leds: [{ reader, led: 0, temporary, permanent }],
  });
  const cancel = { ...OFF, control: 1, timer: 0 };
  const blink = (color: number, on: number, units: number) => ({
    control: 2,
    onTime: on,
    offTime: on,
    onColor: color,
    offColor: LedColor.BLACK,
    timer: units,
  });
  const beep = (units: number): Command => ({
    kind: 'BUZ',
    buzzer: { reader, tone: BuzzerTone.DEFAULT, onTime: units, offTime: 0, count: 1 },
  });
  switch (signal) {
    case 'granted':
      return [led(cancel, steady(LedColor.GREEN))];
    case 'session_ended':
      return [led(cancel, steady(LedColor.BLACK))];
    case 'denied':
      return [led(blink(LedColor.RED, 2, DENIED_UNITS), OFF)];
    case 'awaiting_entry': {
      const units = Math.min(0xffff, Math.max(1, Math.round(settings.entryMs / UNIT_MS)));
      return [led(blink(LedColor.AMBER, 3, units), OFF)];
    }
    case 'alarm':
      return [led(blink(LedColor.RED, 1, ALARM_UNITS), OFF), beep(ALARM_UNITS)];
    case 'pre_alarm':
      return [beep(PRE_ALARM_UNITS)];
    default: {
      const never: never = signal;
      throw new Error(`unhandled signal ${String(never)}`);
    }
  }
}

export interface OsdpFeedbackOptions extends FeedbackSettings {
  bus: OsdpBus;
  /** The badge reader's bus address. */
  address: number;
  logger: DriverLogger;
  /**
   * Commands still unanswered beyond which a new signal is dropped: a signal is for the person
   * at the reader now, and one shown late (after seconds of resends) would tell them a lie.
   */
  maxPending?: number;
}

/**
 * Sends the signals to the badge reader between polls. A reader offline when a signal comes
 * gets nothing: the signal is dropped, never queued for when it returns, and `show` says so
 * (false) so the caller can light the Pi's pins instead.
 */
export class OsdpFeedback {
  private pending = 0;
  private readonly maxPending: number;
  private readonly log: DriverLogger;

  constructor(private readonly options: OsdpFeedbackOptions) {
    this.maxPending = options.maxPending ?? 4;
    this.log = options.logger.child({ module: 'osdp.feedback' });
  }

  /** True when the signal was handed to the bus. */
  show(signal: ReaderSignal): boolean {
    const { bus, address } = this.options;
    if (!bus.isOnline(address)) {
      this.log.debug({ signal, address }, 'reader offline: signal not shown on it');
      return false;
    }
    const commands = feedbackCommands(signal, this.options);
    if (this.pending + commands.length > this.maxPending) {
      this.log.debug({ signal, address, pending: this.pending }, 'reader busy: signal dropped');
      return false;
    }
    for (const command of commands) {
      this.pending += 1;
      bus
        .send(address, command)
        .then((reply) => {
          if (reply.kind === 'NAK') {
            this.log.warn({ signal, address, reason: reply.reason }, 'reader refused a signal');
          }
        })
        .catch((error: unknown) =>
          this.log.debug({ signal, address, err: error }, 'signal not delivered'),
        )
        .finally(() => {
          this.pending -= 1;
        });
    }
    return true;
  }
}
