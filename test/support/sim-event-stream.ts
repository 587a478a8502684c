import type { RecordedEvent } from '../../src/domain/events.js';
import type { SimSnapshot } from '../../src/sim/sim-cabinet.js';

/** Monotonic ms of this process: CLOCK_MONOTONIC, the clock of the daemon's `monotonicMs`. */
export const monoNow = (): number => Number(process.hrtime.bigint() / 1000n) / 1000;

/**
 * The simulator's event stream (GET /stream, server-sent events): every recorded event as it
 * is committed, and the cabinet's state at each output change, stamped on arrival with this
 * process's monotonic clock.
 */
export class SimStream {
  readonly events: RecordedEvent[] = [];
  readonly states: Array<{ at: number; state: SimSnapshot }> = [];
  private readonly abort = new AbortController();

  static async open(simUrl: string): Promise<SimStream> {
    const stream = new SimStream();
    const response = await fetch(new URL('/stream', simUrl), { signal: stream.abort.signal });
    if (!response.body) throw new Error('the simulator stream has no body');
    // Runs until the stream closes; read() swallows the error a close ends it with.
    void stream.read(response.body);
    return stream;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.message(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Closed by close() or by the daemon stopping.
    }
  }

  private message(text: string): void {
    const name = /^event: (.*)$/m.exec(text)?.[1];
    const data = /^data: (.*)$/m.exec(text)?.[1];
    if (!name || data === undefined) return;
    if (name === 'event') this.events.push(JSON.parse(data) as RecordedEvent);
    else if (name === 'state')
      this.states.push({ at: monoNow(), state: JSON.parse(data) as SimSnapshot });
  }
}
