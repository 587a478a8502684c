import {
  BuzzerTone,
  OutputAction,
  TextMode,
  type BuzzerControl,
  type LedControl,
  type LedState,
  type OutputControl,
  type TextOutput,
} from '../commands.js';

/**
 * What the control panel told a simulated reader to show: its LEDs, buzzer, text display and
 * outputs, as the LED, BUZ, TEXT and OUT commands set them. Tests and the browser simulator read
 * the colour shown now, the buzzer's state and the text; timed states (a temporary LED, a beep
 * count, a temporary text or output) end on the reader's clock, as on a real reader.
 *
 * The `apply*` methods check every record of a command before changing anything: a record the
 * reader cannot carry out (an LED or output it does not have) refuses the whole command, so the
 * reader answers NAK and nothing half-changed stays behind.
 */
export type ColorName = 'black' | 'red' | 'green' | 'amber' | 'blue' | 'magenta' | 'cyan' | 'white';

const COLOR_NAMES: readonly ColorName[] = [
  'black',
  'red',
  'green',
  'amber',
  'blue',
  'magenta',
  'cyan',
  'white',
];

export function colorName(color: number): ColorName {
  return COLOR_NAMES[color] ?? 'black';
}

/** Times in the commands are in 100 ms. */
const TICK_MS = 100;

export interface LedView {
  /** The colour lit now (flashing LEDs alternate between onColor and offColor). */
  color: ColorName;
  /** True while a temporary state (with its timer running) overrides the permanent one. */
  temporary: boolean;
  flashing: boolean;
  onColor: ColorName;
  offColor: ColorName;
}

export interface BuzzerView {
  /** True while a sequence of beeps is still running. */
  active: boolean;
  /** On and off times in 100 ms, and the number of beeps (0: until told otherwise). */
  onTime: number;
  offTime: number;
  count: number;
}

export interface TextView {
  text: string;
  row: number;
  column: number;
  temporary: boolean;
}

interface TimedLed {
  state: LedState;
  since: number;
  /** For the temporary state: when it ends. */
  until?: number;
}

interface LedRecord {
  permanent: TimedLed;
  temporary?: TimedLed;
}

interface OutputRecord {
  permanent: boolean;
  temporary?: { on: boolean; until: number };
}

const DARK: LedState = { control: 1, onTime: 0, offTime: 0, onColor: 0, offColor: 0 };

export interface IndicatorLayout {
  /** LEDs on the reader (numbered from 0). */
  leds: number;
  outputs: number;
}

export class ReaderIndicators {
  private leds = new Map<number, LedRecord>();
  private buzz: { control: BuzzerControl; since: number } | undefined;
  private display: { output: TextOutput; since: number } | undefined;
  private outs: OutputRecord[];

  constructor(
    private readonly layout: IndicatorLayout,
    private readonly now: () => number,
  ) {
    this.outs = this.darkOutputs();
  }

  /** Power lost: everything dark, as the reader shows at power-up. */
  reset(): void {
    this.leds = new Map();
    this.buzz = undefined;
    this.display = undefined;
    this.outs = this.darkOutputs();
  }

  /** False (nothing changed) when a record names a reader or LED this reader lacks. */
  applyLeds(controls: readonly LedControl[]): boolean {
    if (!controls.every((c) => c.reader === 0 && c.led < this.layout.leds)) return false;
    const now = this.now();
    for (const control of controls) {
      const record = this.leds.get(control.led) ?? { permanent: { state: DARK, since: now } };
      if (control.permanent.control === 1) {
        record.permanent = { state: control.permanent, since: now };
      }
      const temporary = control.temporary;
      if (temporary.control === 1) delete record.temporary;
      if (temporary.control === 2) {
        record.temporary = { state: temporary, since: now, until: now + temporary.timer * TICK_MS };
      }
      this.leds.set(control.led, record);
    }
    return true;
  }

  applyBuzzer(control: BuzzerControl): boolean {
    if (control.reader !== 0) return false;
    if (control.tone === BuzzerTone.NONE) return true;
    this.buzz = { control, since: this.now() };
    return true;
  }

  applyText(output: TextOutput): boolean {
    if (output.reader !== 0) return false;
    this.display = { output, since: this.now() };
    return true;
  }

  applyOutputs(controls: readonly OutputControl[]): boolean {
    if (!controls.every((c) => c.output < this.layout.outputs)) return false;
    const now = this.now();
    for (const { output, action, timer } of controls) {
      const record = this.outs[output];
      if (record === undefined) continue;
      switch (action) {
        case OutputAction.PERMANENT_OFF_ABORT_TIMED:
        case OutputAction.PERMANENT_ON_ABORT_TIMED:
          record.permanent = action === OutputAction.PERMANENT_ON_ABORT_TIMED;
          delete record.temporary;
          break;
        case OutputAction.PERMANENT_OFF_ALLOW_TIMED:
        case OutputAction.PERMANENT_ON_ALLOW_TIMED:
          record.permanent = action === OutputAction.PERMANENT_ON_ALLOW_TIMED;
          break;
        case OutputAction.TEMPORARY_ON_RESUME_PERMANENT:
        case OutputAction.TEMPORARY_OFF_RESUME_PERMANENT:
          record.temporary = {
            on: action === OutputAction.TEMPORARY_ON_RESUME_PERMANENT,
            until: now + timer * TICK_MS,
          };
          break;
      }
    }
    return true;
  }

  led(led = 0): LedView {
    const now = this.now();
    const record = this.leds.get(led);
    const temporary =
      record?.temporary !== undefined && now < (record.temporary.until ?? 0)
        ? record.temporary
        : undefined;
    const shown = temporary ?? record?.permanent ?? { state: DARK, since: now };
    const { onTime, offTime, onColor, offColor } = shown.state;
    const flashing = onTime > 0 && offTime > 0;
    let color = offColor;
    if (onTime > 0 && offTime === 0) color = onColor;
    if (flashing) {
      const tick = Math.floor((now - shown.since) / TICK_MS) % (onTime + offTime);
      color = tick < onTime ? onColor : offColor;
    }
    return {
      color: colorName(color),
      temporary: temporary !== undefined,
      flashing,
      onColor: colorName(onColor),
      offColor: colorName(offColor),
    };
  }

  buzzer(): BuzzerView {
    const buzz = this.buzz;
    if (buzz === undefined || buzz.control.tone !== BuzzerTone.DEFAULT) {
      return { active: false, onTime: 0, offTime: 0, count: 0 };
    }
    const { onTime, offTime, count } = buzz.control;
    const length = count * (onTime + offTime) * TICK_MS;
    const active = onTime > 0 && (count === 0 || this.now() < buzz.since + length);
    return { active, onTime, offTime, count };
  }

  text(): TextView | undefined {
    const display = this.display;
    if (display === undefined) return undefined;
    const { output } = display;
    const temporary =
      output.mode === TextMode.TEMPORARY_NO_WRAP || output.mode === TextMode.TEMPORARY_WRAP;
    if (temporary && this.now() >= display.since + output.seconds * 1000) return undefined;
    return { text: output.text, row: output.row, column: output.column, temporary };
  }

  /** Each output's state now: true = active. */
  outputs(): boolean[] {
    const now = this.now();
    return this.outs.map((record) =>
      record.temporary !== undefined && now < record.temporary.until
        ? record.temporary.on
        : record.permanent,
    );
  }

  private darkOutputs(): OutputRecord[] {
    return Array.from({ length: this.layout.outputs }, () => ({ permanent: false }));
  }
}
