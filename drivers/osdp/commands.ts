import { CommandCode, commandName, type CommandName } from './codes.js';
import { DataWriter, readData, type DataReader } from './data-codec.js';
import { hex2, OsdpError, refused, type Checked } from './osdp-error.js';

/**
 * The commands a control panel sends, as typed values, and their data bytes (OSDP v2.2
 * section 6). `encodeCommand` is the control panel's; `decodeCommand` is the reader side's
 * (the PD simulator), and refuses malformed data with an error naming the command and field.
 * Times are in the specification's units (100 ms unless said otherwise).
 */
export type Command =
  /** Anything to report? The reader answers ACK, or a card read, a keypad entry, a status… */
  | { kind: 'POLL' }
  /** Send your identity (PDID). */
  | { kind: 'ID' }
  /** Send your capabilities (PDCAP). */
  | { kind: 'CAP' }
  /** Local status: tamper and power (LSTATR). */
  | { kind: 'LSTAT' }
  | { kind: 'ISTAT' }
  | { kind: 'OSTAT' }
  | { kind: 'RSTAT' }
  | { kind: 'OUT'; outputs: OutputControl[] }
  | { kind: 'LED'; leds: LedControl[] }
  | { kind: 'BUZ'; buzzer: BuzzerControl }
  | { kind: 'TEXT'; text: TextOutput }
  /** Use this address and baud rate from now on (the reader answers COM, then switches). */
  | { kind: 'COMSET'; address: number; baudRate: number }
  /** Replace the Secure Channel base key: only ever sent inside a secure session. */
  | { kind: 'KEYSET'; keyType: number; key: Uint8Array }
  /** Secure Channel handshake, step 1: the control panel's 8 random bytes (RND.A). */
  | { kind: 'CHLNG'; cpRandom: Uint8Array }
  /** Secure Channel handshake, step 3: the control panel's cryptogram. */
  | { kind: 'SCRYPT'; serverCryptogram: Uint8Array };

/** OUT control codes. */
export const OutputAction = {
  NOP: 0,
  PERMANENT_OFF_ABORT_TIMED: 1,
  PERMANENT_ON_ABORT_TIMED: 2,
  PERMANENT_OFF_ALLOW_TIMED: 3,
  PERMANENT_ON_ALLOW_TIMED: 4,
  TEMPORARY_ON_RESUME_PERMANENT: 5,
  TEMPORARY_OFF_RESUME_PERMANENT: 6,
} as const;

export interface OutputControl {
  output: number;
  /** An {@link OutputAction}. */
  action: number;
  /** For the temporary actions, in 100 ms. */
  timer: number;
}

export const LedColor = {
  BLACK: 0,
  RED: 1,
  GREEN: 2,
  AMBER: 3,
  BLUE: 4,
  MAGENTA: 5,
  CYAN: 6,
  WHITE: 7,
} as const;

export interface LedState {
  /** Temporary: 0 no change, 1 cancel (show the permanent state), 2 set and start the timer.
   *  Permanent: 0 no change, 1 set. */
  control: number;
  /** Flash on and off times, in 100 ms (on 0 and off 0: steady off colour). */
  onTime: number;
  offTime: number;
  onColor: number;
  offColor: number;
}

export interface LedControl {
  reader: number;
  led: number;
  temporary: LedState & { timer: number };
  permanent: LedState;
}

export const BuzzerTone = { NONE: 0, OFF: 1, DEFAULT: 2 } as const;

export interface BuzzerControl {
  reader: number;
  /** A {@link BuzzerTone}. */
  tone: number;
  onTime: number;
  offTime: number;
  /** Repetitions; 0 = until told otherwise. */
  count: number;
}

export const TextMode = {
  PERMANENT_NO_WRAP: 1,
  PERMANENT_WRAP: 2,
  TEMPORARY_NO_WRAP: 3,
  TEMPORARY_WRAP: 4,
} as const;

export interface TextOutput {
  reader: number;
  /** A {@link TextMode}. */
  mode: number;
  /** How long temporary text stays, in seconds. */
  seconds: number;
  row: number;
  column: number;
  /** Printable ASCII only. */
  text: string;
}

/** The baud rates COMSET may ask for (OSDP v2.2 lists these). */
export const OSDP_BAUD_RATES = [9600, 19200, 38400, 57600, 115200, 230400] as const;

export const KEY_TYPE_SCBK = 1;

export interface CommandBody {
  code: number;
  data: Uint8Array;
}

const LED_RECORD = 14;
const OUT_RECORD = 4;
const PRINTABLE = /^[\x20-\x7e]*$/;

export function encodeCommand(command: Command): CommandBody {
  const code = CommandCode[command.kind];
  const w = new DataWriter(command.kind, code);
  switch (command.kind) {
    case 'POLL':
    case 'LSTAT':
    case 'ISTAT':
    case 'OSTAT':
    case 'RSTAT':
      break;
    case 'ID':
    case 'CAP':
      // The one data byte asks for the standard reply, the only one the specification defines.
      w.u8('reply type', 0);
      break;
    case 'OUT':
      if (command.outputs.length === 0) w.invalid('outputs', 'must name at least one output');
      for (const o of command.outputs) {
        w.u8('output', o.output).u8('action', o.action, 6).u16('timer', o.timer);
      }
      break;
    case 'LED':
      if (command.leds.length === 0) w.invalid('leds', 'must name at least one LED');
      for (const led of command.leds) {
        w.u8('reader', led.reader).u8('led', led.led);
        writeLedState(w, 'temporary', led.temporary, 2);
        w.u16('temporary timer', led.temporary.timer);
        writeLedState(w, 'permanent', led.permanent, 1);
      }
      break;
    case 'BUZ': {
      const b = command.buzzer;
      w.u8('reader', b.reader).u8('tone', b.tone).u8('on time', b.onTime);
      w.u8('off time', b.offTime).u8('count', b.count);
      break;
    }
    case 'TEXT': {
      const t = command.text;
      if (!PRINTABLE.test(t.text)) w.invalid('text', 'must be printable ASCII');
      w.u8('reader', t.reader).u8('mode', t.mode, 4, 1).u8('seconds', t.seconds);
      w.u8('row', t.row).u8('column', t.column).u8('text length', t.text.length);
      w.raw('text', Buffer.from(t.text, 'latin1'));
      break;
    }
    case 'COMSET':
      if (!(OSDP_BAUD_RATES as readonly number[]).includes(command.baudRate)) {
        w.invalid('baud rate', `must be one of ${OSDP_BAUD_RATES.join(', ')}`);
      }
      w.u8('address', command.address, 0x7e).u32('baud rate', command.baudRate);
      break;
    case 'KEYSET':
      if (command.keyType !== KEY_TYPE_SCBK || command.key.length !== 16) {
        w.invalid('key', 'must be a 16-byte SCBK (key type 1)');
      }
      w.u8('key type', command.keyType).u8('key length', command.key.length);
      w.raw('key', command.key);
      break;
    case 'CHLNG':
      w.raw('control panel random', command.cpRandom, 8);
      break;
    case 'SCRYPT':
      w.raw('server cryptogram', command.serverCryptogram, 16);
      break;
  }
  return { code, data: w.done() };
}

function writeLedState(w: DataWriter, which: string, s: LedState, maxControl: number): void {
  w.u8(`${which} control`, s.control, maxControl).u8(`${which} on time`, s.onTime);
  w.u8(`${which} off time`, s.offTime).u8(`${which} on color`, s.onColor, 7);
  w.u8(`${which} off color`, s.offColor, 7);
}

/** A command's typed value from its code and data (the reader side: the PD simulator). */
export function decodeCommand(code: number, data: Uint8Array): Checked<Command> {
  const name = commandName(code);
  if (name === undefined) {
    return refused(new OsdpError('UNKNOWN_CODE', `unknown command code ${hex2(code)}`, { code }));
  }
  return readData(data, name, code, (r) => readCommand(name, r));
}

function readCommand(kind: CommandName, r: DataReader): Command {
  switch (kind) {
    case 'POLL':
    case 'LSTAT':
    case 'ISTAT':
    case 'OSTAT':
    case 'RSTAT':
      return { kind };
    case 'ID':
    case 'CAP':
      // Only the standard reply (0) is defined; a reader NAKs any other, so the simulator does.
      r.u8('reply type', 0);
      return { kind };
    case 'OUT':
      if (r.remaining === 0) r.fail('outputs', 'are missing');
      return {
        kind,
        outputs: r.records(OUT_RECORD, 'outputs', () => ({
          output: r.u8('output'),
          action: r.u8('action', 6, 0),
          timer: r.u16('timer'),
        })),
      };
    case 'LED':
      if (r.remaining === 0) r.fail('leds', 'are missing');
      return {
        kind,
        leds: r.records(LED_RECORD, 'leds', () => {
          const reader = r.u8('reader');
          const led = r.u8('led');
          const temporary = readLedState(r, 'temporary', 2);
          const timer = r.u16('temporary timer');
          return {
            reader,
            led,
            temporary: { ...temporary, timer },
            permanent: readLedState(r, 'permanent', 1),
          };
        }),
      };
    case 'BUZ':
      return {
        kind,
        buzzer: {
          reader: r.u8('reader'),
          tone: r.u8('tone'),
          onTime: r.u8('on time'),
          offTime: r.u8('off time'),
          count: r.u8('count'),
        },
      };
    case 'TEXT': {
      const reader = r.u8('reader');
      const mode = r.u8('mode', 4, 1);
      const seconds = r.u8('seconds');
      const row = r.u8('row');
      const column = r.u8('column');
      const length = r.u8('text length');
      const text = Buffer.from(r.bytes(length, 'text')).toString('latin1');
      if (!PRINTABLE.test(text)) r.fail('text', 'is not printable ASCII');
      return { kind, text: { reader, mode, seconds, row, column, text } };
    }
    case 'COMSET':
      return {
        kind,
        address: r.u8('address', 0x7e, 0),
        baudRate: readBaudRate(r),
      };
    case 'KEYSET': {
      // The only key a KEYSET may carry is a 16-byte SCBK: the reader refuses anything else.
      const keyType = r.u8('key type', KEY_TYPE_SCBK, KEY_TYPE_SCBK);
      const length = r.u8('key length', 16, 16);
      return { kind, keyType, key: r.bytes(length, 'key') };
    }
    case 'CHLNG':
      return { kind, cpRandom: r.bytes(8, 'control panel random') };
    case 'SCRYPT':
      return { kind, serverCryptogram: r.bytes(16, 'server cryptogram') };
  }
}

function readLedState(r: DataReader, which: string, maxControl: number): LedState {
  return {
    control: r.u8(`${which} control`, maxControl, 0),
    onTime: r.u8(`${which} on time`),
    offTime: r.u8(`${which} off time`),
    onColor: r.u8(`${which} on color`, 7, 0),
    offColor: r.u8(`${which} off color`, 7, 0),
  };
}

/** A reader asked to move to a speed it cannot take would fall silent: refuse it instead. */
function readBaudRate(r: DataReader): number {
  const baudRate = r.u32('baud rate');
  if (!(OSDP_BAUD_RATES as readonly number[]).includes(baudRate)) {
    r.fail('baud rate', `is ${baudRate}, not one of ${OSDP_BAUD_RATES.join(', ')}`);
  }
  return baudRate;
}
