import { createInterface } from 'node:readline';

/** The installer's answer to a yes/no question; `skip` leaves the step out of the verdict. */
export type Answer = 'yes' | 'no' | 'skip';

/** Standard input ended (a script ran out of answers, or Ctrl-D): the test stops there. */
export class InputEnded extends Error {
  constructor() {
    super('standard input ended');
  }
}

interface Waiter {
  resolve: (line: string) => void;
  reject: (error: Error) => void;
}

/**
 * Questions to the person at the bench, one line each: a terminal or a pipe of answers
 * (`printf 'y\nn\n' | keywarden selftest` scripts it). Lines are queued as they arrive, since a
 * pipe delivers every answer at once and readline's own question() would drop those that come
 * before their question. Prompts go to `prompts` (standard error), so the report on standard
 * output stays clean.
 */
export class Prompter {
  private readonly lines: string[] = [];
  private waiter: Waiter | null = null;
  private ended = false;
  private readonly close_: () => void;

  constructor(
    input: NodeJS.ReadableStream,
    private readonly prompts: (text: string) => void,
  ) {
    const rl = createInterface({ input, terminal: false });
    rl.on('line', (line) => {
      const waiter = this.waiter;
      this.waiter = null;
      if (waiter) waiter.resolve(line);
      else this.lines.push(line);
    });
    rl.once('close', () => {
      this.ended = true;
      const waiter = this.waiter;
      this.waiter = null;
      waiter?.reject(new InputEnded());
    });
    this.close_ = () => rl.close();
  }

  /** Asks until the answer is y, n or s (yes, no, skip), case-insensitive. */
  async ask(question: string): Promise<Answer> {
    for (;;) {
      const line = (await this.line(`${question} [y/n/s] `)).trim().toLowerCase();
      if (line === 'y' || line === 'yes') return 'yes';
      if (line === 'n' || line === 'no') return 'no';
      if (line === 's' || line === 'skip') return 'skip';
    }
  }

  /**
   * Waits for `happened` (a reader's event, an input's change) or for the installer to type a
   * line (to skip), whichever comes first, at most `timeoutMs`. `happened` must settle when the
   * signal aborts.
   */
  async waitOrSkip<T>(
    prompt: string,
    happened: (signal: AbortSignal) => Promise<T>,
    timeoutMs: number,
  ): Promise<{ outcome: 'happened'; value: T } | { outcome: 'skipped' | 'timed-out' }> {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), timeoutMs);
    try {
      // Listen first: the prompt may make it happen at once (a test, a fast hand).
      const event = happened(stop.signal).then(
        (value) => ({ outcome: 'happened' as const, value }),
        () => ({ outcome: 'timed-out' as const }),
      );
      const skip = this.line(`${prompt} (Enter to skip) `, stop.signal).then(
        () => ({ outcome: 'skipped' as const }),
        (error: unknown) => {
          if (error instanceof InputEnded) throw error;
          return { outcome: 'timed-out' as const };
        },
      );
      return await Promise.race([event, skip]);
    } finally {
      clearTimeout(timer);
      stop.abort();
    }
  }

  close(): void {
    this.close_();
  }

  private line(prompt: string, signal?: AbortSignal): Promise<string> {
    this.prompts(prompt);
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended) return Promise.reject(new InputEnded());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.waiter = waiter;
      signal?.addEventListener(
        'abort',
        () => {
          if (this.waiter !== waiter) return;
          this.waiter = null;
          reject(new Error('aborted'));
        },
        { once: true },
      );
    });
  }
}
