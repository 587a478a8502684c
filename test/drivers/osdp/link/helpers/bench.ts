import { silentLogger } from '../../../../../src/log/logger.js';
import { FrameDecoder } from '../../../../../drivers/osdp/frame-decoder.js';
import type { Frame } from '../../../../../drivers/osdp/frame.js';
import type {
  OsdpBus,
  OsdpBusEvents,
  OsdpBusOptions,
  OsdpReaderSpec,
} from '../../../../../drivers/osdp/link/bus-api.js';
import { createOsdpBus } from '../../../../../drivers/osdp/link/bus.js';
import { ManualBusClock } from './manual-clock.js';
import type { ScriptedReader } from './scripted-reader.js';

/** Bytes on the wire, each frame the bus wrote, as it wrote it (mark byte included). */
export interface WireRecord {
  at: number;
  bytes: Buffer;
  frame: Frame;
}

/** The events a bus emitted, per event name, in order. */
export type Recorded = { [K in keyof OsdpBusEvents]: OsdpBusEvents[K][0][] };

/** How long a reader takes to answer (the wire time of a short frame at 9600 baud, about). */
export const REPLY_DELAY_MS = 12;

/**
 * A bus on a fake clock with scripted readers on its wire: what the bus writes is decoded and
 * shown to every reader; their answers come back `replyDelayMs` later. `echo` makes the
 * "adapter" hand every frame the bus writes back to it, as an RS-485 adapter that hears itself.
 */
export function bench(
  specs: OsdpReaderSpec[],
  readers: ScriptedReader[],
  options: { replyDelayMs?: number; echo?: boolean; bus?: Partial<OsdpBusOptions> } = {},
) {
  const clock = new ManualBusClock();
  const wire: WireRecord[] = [];
  const readerSide = new FrameDecoder();
  const delay = options.replyDelayMs ?? REPLY_DELAY_MS;
  let randomCounter = 0;
  const target: { bus?: OsdpBus } = {};
  const deliver = (bytes: Uint8Array, after: number): void => {
    clock.schedule(() => target.bus?.receive(bytes), after);
  };
  const bus = createOsdpBus({
    readers: specs,
    clock,
    logger: silentLogger(),
    random: (length) => {
      randomCounter += 1;
      return Uint8Array.from({ length }, (_, i) => (randomCounter * 13 + i) & 0xff);
    },
    write: (bytes) => {
      const copy = Buffer.from(bytes);
      if (options.echo === true) deliver(copy, 0);
      for (const output of readerSide.push(copy)) {
        if (output.kind !== 'frame')
          throw new Error(`the bus wrote a bad frame: ${output.error.message}`);
        wire.push({ at: clock.now(), bytes: copy, frame: output.frame });
        for (const reader of readers) {
          const answer = reader.handle(output.frame);
          if (answer === undefined) continue;
          deliver(answer, reader.delayNextMs ?? delay);
          reader.delayNextMs = undefined;
        }
      }
    },
    ...options.bus,
  });
  target.bus = bus;
  const recorded = {
    card: [],
    keypad: [],
    online: [],
    offline: [],
    status: [],
    tampered: [],
    keyed: [],
    garbled: [],
    readdressed: [],
  } as Recorded;
  for (const name of Object.keys(recorded) as (keyof OsdpBusEvents)[]) {
    (bus as unknown as { on(event: string, listener: (info: unknown) => void): void }).on(
      name,
      (info) => (recorded[name] as unknown[]).push(info),
    );
  }
  return {
    bus,
    clock,
    wire,
    recorded,
    /** Bytes on the wire from anyone else (an attacker, noise), `after` ms from now. */
    inject: (bytes: Uint8Array, after = 0) => deliver(bytes, after),
    /** The commands the bus wrote to one address, by name. */
    commandsTo: (address: number) => wire.filter((w) => w.frame.address === address),
  };
}

/** Advance in small steps until `condition` holds (fails after `limitMs` of fake time). */
export function advanceUntil(
  clock: ManualBusClock,
  condition: () => boolean,
  what: string,
  limitMs = 20_000,
): void {
  for (let spent = 0; !condition(); spent += 5) {
    if (spent > limitMs) throw new Error(`not within ${limitMs} ms of bus time: ${what}`);
    clock.advance(5);
  }
}
