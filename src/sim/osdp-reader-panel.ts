import { EventEmitter } from 'node:events';
import type { SimulatedOsdpReader } from '../../drivers/osdp/sim/simulated-reader.js';
import type { ColorName } from '../../drivers/osdp/sim/reader-indicators.js';

/** The simulated OSDP badge reader as a person at the cabinet sees it. */
export interface OsdpReaderView {
  address: number;
  /** Its cable is in (`sim reader unplug` pulls it: the cabinet has it offline after 8 s). */
  connected: boolean;
  /** It answered the cabinet's polls within the last second. */
  answering: boolean;
  /** A Secure Channel session with the cabinet is open. */
  secured: boolean;
  /** LED 0: its colour (the lit one, for a blink) and whether it blinks. */
  led: { color: ColorName; flashing: boolean };
  buzzer: boolean;
}

/** What counts as answering: the cabinet polls every 50 ms, so a second is many polls missed. */
const ANSWERING_MS = 1000;
/** How often the view is compared with the last one sent: a blink or a timer may have ended. */
const CHECK_MS = 200;

/**
 * Watches a simulated OSDP reader for the simulator's views (the terminal's `state`, the
 * browser page): `changed` when what a person would see on it changes. The reader tells when
 * the cabinet sets its LED or buzzer; a temporary state that runs out, a session that opens and
 * the polls stopping are seen by looking again every 200 ms, which costs nothing beside the 20
 * polls a second the reader answers.
 */
export class OsdpReaderPanel extends EventEmitter<{ changed: [] }> {
  private lastAnswerAt = 0;
  private shown: string;
  private readonly timer: NodeJS.Timeout;
  private readonly onTransmit = () => {
    this.lastAnswerAt = Date.now();
  };
  private readonly onIndicators = () => this.check();

  constructor(readonly reader: SimulatedOsdpReader) {
    super();
    this.shown = JSON.stringify(this.view());
    reader.on('transmit', this.onTransmit);
    reader.on('indicators', this.onIndicators);
    this.timer = setInterval(() => this.check(), CHECK_MS);
    this.timer.unref();
  }

  view(): OsdpReaderView {
    const { reader } = this;
    const led = reader.led(0);
    return {
      address: reader.address,
      connected: reader.powered,
      answering: reader.powered && Date.now() - this.lastAnswerAt < ANSWERING_MS,
      secured: reader.secured,
      // A blink shows its lit colour: the page makes it blink, the terminal says so.
      led: { color: led.flashing ? led.onColor : led.color, flashing: led.flashing },
      buzzer: reader.buzzer().active,
    };
  }

  /** Pulls the reader's cable (power and data: it forgets its session) or puts it back. */
  setConnected(connected: boolean): void {
    if (connected === this.reader.powered) return;
    if (connected) this.reader.powerOn();
    else this.reader.powerOff();
    this.check();
  }

  close(): void {
    clearInterval(this.timer);
    this.reader.off('transmit', this.onTransmit);
    this.reader.off('indicators', this.onIndicators);
  }

  private check(): void {
    const now = JSON.stringify(this.view());
    if (now === this.shown) return;
    this.shown = now;
    this.emit('changed');
  }
}
