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
  /** Events recorded (and streamed) before this release in the same run. */
  afterEvents: number;
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
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;

  private constructor(response: Response) {
    this.done = this.read(response).catch(() => undefined);
  }

  static async open(url: string): Promise<SimStream> {
    const stream = new SimStream(await fetchStream(url));
    return stream;
  }

  /** Releases of slots (not the door): solenoids switching on. */
  slotReleases(): number[] {
    return this.releases.flatMap((r) => (r.output === 'door' ? [] : [r.output]));
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private async read(response: Response): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    const reader = response.body!.getReader();
    this.abort.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}));
    for (;;) {
      const { value, done } = await reader.read();
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
    const afterEvents = this.events.length;
    // The first state is the cabinet as the stream found it: anything already on counts too.
    if (next.door.unlocked && !previous?.door.unlocked) {
      this.releases.push({ output: 'door', afterEvents });
    }
    for (const s of next.slots) {
      const before = previous?.slots.find((p) => p.slot === s.slot)?.solenoid ?? false;
      if (s.solenoid && !before) this.releases.push({ output: s.slot, afterEvents });
    }
  }
}

async function fetchStream(url: string): Promise<Response> {
  const response = await fetch(new URL('/stream', url));
  if (!response.ok || !response.body) throw new Error(`GET /stream answered ${response.status}`);
  return response;
}
