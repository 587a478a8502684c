import { EventEmitter } from 'node:events';
import { createInterface, type Interface } from 'node:readline';
import type { RecordedEvent } from '../domain/events.js';
import type { OsdpReaderView } from './osdp-reader-panel.js';
import { SimRefusal, type SimCabinet } from './sim-cabinet.js';

/** The demo holders' cards (`npm start`): Alice's, Bob's, and Carol's, who has left. */
export type DemoCards = Readonly<Record<'alice' | 'bob' | 'carol', string>>;

/**
 * What the terminal needs of a running cabinet; the daemon has it. The simulator is an adapter:
 * it names what it uses rather than depend on the composition root.
 */
export interface TerminalCabinet {
  /** The simulated cabinet the person at the terminal acts on. */
  readonly sim: SimCabinet | undefined;
  readonly demoCards: DemoCards;
  /** The demo's web server, whose /sim page draws this cabinet; undefined when it is not up. */
  readonly webUrl?: string | undefined;
  /** The demo console's sign-in, printed with the address. */
  readonly webLogin?: { account: string; password: string } | undefined;
  /** Each event as it is recorded. */
  readonly runner: {
    on(event: 'recorded', listener: (events: RecordedEvent[]) => void): unknown;
  };
  readonly eventLog: { recent(limit: number): RecordedEvent[]; depth(): number };
  /** Each event again once the broker has it. */
  readonly mqtt: {
    readonly connected: boolean;
    readonly publisher: { on(event: 'published', listener: (seqs: number[]) => void): unknown };
  };
}

const HELP = `Commands (the simulated cabinet):
  badge <card|alice|bob|carol>   present a card at the reader
  keypad <digits>#|*             type a PIN or reason code (ended by #), or * to clear
  open | force | close           open the door (needs a grant), force it open, close it
  take <slot> [force]            take the key from a slot (force: from a locked slot)
  insert <slot> [tag]            put a fob in a slot (default: the one taken from it)
  reader unplug | plug           pull the OSDP badge reader's cable, or plug it back
  state                          door, slots and outputs
  events [n]                     the last n recorded events (default 10)
  help | quit`;

/**
 * The person-at-the-terminal view of `npm start`: type what a person at the cabinet would do,
 * see every event as it is recorded and again as it is published.
 */
export class Terminal extends EventEmitter<{ quit: [] }> {
  private readonly rl: Interface;

  constructor(
    private readonly cabinet: TerminalCabinet,
    input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
  ) {
    super();
    this.rl = createInterface({ input, output, prompt: 'keywarden> ' });
    this.rl.on('line', (line) => {
      this.command(line.trim());
      this.rl.prompt();
    });
    this.rl.on('close', () => this.emit('quit'));
    cabinet.runner.on('recorded', (events) => this.recorded(events));
    cabinet.mqtt.publisher.on('published', (seqs) =>
      this.print(
        `  ↑ published #${seqs[0]}${seqs.length > 1 ? `…#${seqs.at(-1)}` : ''} to the broker`,
      ),
    );
    const cards = cabinet.demoCards;
    this.print(
      `Simulated cabinet ready. Demo cards: alice ${cards.alice}, bob ${cards.bob}, carol (disabled).`,
    );
    const reader = cabinet.sim?.snapshot().osdpReader;
    if (reader) {
      this.print(
        `The badge reader is a simulated OSDP reader (address ${reader.address}, Secure Channel) ` +
          `on an in-process link: a card is sent as its 26 H10301 bits, ${describeH10301('alice', cards.alice)}, ` +
          `${describeH10301('bob', cards.bob)}, ${describeH10301('carol', cards.carol)}.`,
      );
    }
    if (cabinet.webUrl) {
      this.print(`In a browser: ${cabinet.webUrl}sim draws this cabinet live.`);
      this.print(`  ${cabinet.webUrl}cabinet is the cabinet's own screen.`);
      if (cabinet.webLogin) {
        const { account, password } = cabinet.webLogin;
        this.print(
          `  ${cabinet.webUrl} is the custodians' console: sign in as ${account} / ${password}`,
        );
      }
    }
    this.print('Type "help" for commands.');
    this.rl.prompt();
  }

  close(): void {
    this.rl.removeAllListeners('close');
    this.rl.close();
  }

  private command(line: string): void {
    const [verb, ...args] = line.split(/\s+/);
    const sim = this.cabinet.sim;
    if (!sim || !verb) return;
    try {
      switch (verb) {
        case 'help':
          return this.print(HELP);
        case 'badge': {
          const who = args[0] ?? '';
          const named: Readonly<Record<string, string>> = this.cabinet.demoCards;
          const card = named[who.toLowerCase()] ?? who;
          if (!card) return this.print('badge <card|alice|bob|carol>');
          return sim.badge(card);
        }
        case 'keypad':
          return sim.keypad(args.join(''));
        case 'open':
          return sim.openDoor(false);
        case 'force':
          return sim.openDoor(true);
        case 'close':
          return sim.closeDoor();
        case 'take':
          sim.take(Number(args[0]), args[1] === 'force');
          return;
        case 'insert':
        case 'return':
          sim.insert(Number(args[0]), args[1]);
          return;
        case 'reader':
          if (args[0] !== 'unplug' && args[0] !== 'plug') return this.print('reader unplug | plug');
          return sim.setReaderConnected(args[0] === 'plug');
        case 'state':
          return this.printState();
        case 'events':
          return this.cabinet.eventLog
            .recent(Number(args[0] ?? 10) || 10)
            .forEach((e) => this.print(describe(e)));
        case 'quit':
        case 'exit':
          this.emit('quit');
          return;
        default:
          this.print(`unknown command "${verb}"; type "help"`);
      }
    } catch (error) {
      this.print(
        error instanceof SimRefusal ? `  ✗ ${error.message}` : `  ✗ ${(error as Error).message}`,
      );
    }
  }

  private recorded(events: RecordedEvent[]): void {
    const offline = this.cabinet.mqtt.connected ? '' : '  (waiting in the outbox: broker offline)';
    for (const e of events) this.print(describe(e) + offline);
  }

  private printState(): void {
    const s = this.cabinet.sim?.snapshot();
    if (!s) return;
    this.print(
      `door ${s.door.open ? 'OPEN' : 'closed'}, ${s.door.unlocked ? 'unlocked' : 'locked'}; ` +
        `green ${onOff(s.indicators.green)} red ${onOff(s.indicators.red)} buzzer ${onOff(s.indicators.buzzer)}; ` +
        `outbox ${this.cabinet.eventLog.depth()} waiting`,
    );
    if (s.osdpReader) this.print(describeReader(s.osdpReader));
    for (const slot of s.slots) {
      this.print(
        `  slot ${String(slot.slot).padStart(2)}: ${slot.tag ?? '(empty)'.padEnd(10)}  ${slot.solenoid ? 'RELEASED' : 'locked'}`,
      );
    }
  }

  private print(text: string): void {
    this.output.write(`\r${text}\n`);
  }
}

/** `alice facility 42 card 1001`, from the card string the cabinet makes of an H10301 read. */
function describeH10301(name: string, card: string): string {
  return `${name} facility ${Number(card.slice(0, 3))} card ${Number(card.slice(3))}`;
}

function describeReader(reader: OsdpReaderView): string {
  const link = !reader.connected
    ? 'unplugged'
    : `${reader.answering ? 'answering' : 'not answering'}, ${reader.secured ? 'secured' : 'not secured'}`;
  const led = `${reader.led.color}${reader.led.flashing ? ' blinking' : ''}`;
  return `OSDP reader ${reader.address}: ${link}; LED ${led}, buzzer ${onOff(reader.buzzer)}`;
}

function onOff(on: boolean): string {
  return on ? 'on' : 'off';
}

function describe(e: RecordedEvent): string {
  return `  ● #${e.seq} ${e.type} ${JSON.stringify(e.data)}`;
}
