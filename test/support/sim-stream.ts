import type { RecordedEvent } from '../../src/domain/events.js';

/** The simulator's `GET /state` (docs/simulator.md), as far as the fault tests read it. */
export interface SimState {
  door: { open: boolean; unlocked: boolean };
  indicators: { green: boolean; red: boolean; buzzer: boolean };
  slots: Array<{ slot: number; tag: string | null; keyPresent: boolean; solenoid: boolean }>;
}

/** An output switching on, as seen on the simulator's stream. */
export interface Release {
  /** A slot number, or 'door' for the door lock. */
  output: number | 'door';
}

export async function getSimState(url: string): Promise<SimState> {
  const response = await fetch(new URL('/state', url));
  if (!response.ok) throw new Error(`GET /state answered ${response.status}`);
  return (await response.json()) as SimState;
}

/** Every output that is on in a state: the door lock, indicators and solenoids. */
export function outputsOn(state: SimState): string[] {
  const on: string[] = [];
  if (state.door.unlocked) on.push('door lock');
  for (const [name, value] of Object.entries(state.indicators)) if (value) on.push(name);
  for (const s of state.slots) if (s.solenoid) on.push(`solenoid ${s.slot}`);
  return on;
}

/**
 * Watches one daemon run through the simulator's Server-Sent Events stream: every output that
 * switches on (a release) and every event the cabinet records. The stream is what the
 * physical cabinet would show, so a release seen here happened, whatever the log says.
 */
export class SimStream {
  readonly releases: Release[] = [];
  readonly events: RecordedEvent[] = [];
  private last: SimState | null = null;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly done: Promise<void>;

  private constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
    // The stream ends by itself when the daemon dies; that is not an error here.
    this.done = this.read().catch(() => undefined);
  }

  static async open(url: string): Promise<SimStream> {
    const response = await fetch(new URL('/stream', url));
    if (!response.ok || !response.body) throw new Error(`GET /stream answered ${response.status}`);
    return new SimStream(response.body);
  }

  /** The cabinet as the stream last showed it (null before its first state). */
  get lastState(): SimState | null {
    return this.last;
  }

  /** Releases of slots (not the door): solenoids switching on. */
  slotReleases(): number[] {
    return this.releases.flatMap((r) => (r.output === 'door' ? [] : [r.output]));
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
    await this.done;
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const { value, done } = await this.reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        this.message(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
      }
    }
  }

  private message(text: string): void {
    let kind = 'message';
    let data = '';
    for (const line of text.split('\n')) {
      if (line.startsWith('event:')) kind = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (kind === 'event') this.events.push(JSON.parse(data) as RecordedEvent);
    if (kind === 'state') this.state(JSON.parse(data) as SimState);
  }

  private state(next: SimState): void {
    const previous = this.last;
    this.last = next;
    // The first state is the cabinet as the stream found it: anything already on counts too.
    if (next.door.unlocked && !previous?.door.unlocked) {
      this.releases.push({ output: 'door' });
    }
    for (const s of next.slots) {
      const before = previous?.slots.find((p) => p.slot === s.slot)?.solenoid ?? false;
      if (s.solenoid && !before) this.releases.push({ output: s.slot });
    }
  }
}
