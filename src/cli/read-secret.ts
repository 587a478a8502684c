import { KeywardenError } from '../errors.js';

/** What a secret is read from: the terminal (raw mode, no echo) or a pipe (one line). */
export interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACES = new Set(['\u007f', '\b']);

/**
 * Reads secrets (PINs, card numbers kept out of argv) without echo. On a terminal, raw mode: the characters are never shown,
 * backspace works, Ctrl-C cancels. Otherwise (a script, a test) each read takes one line, so
 * `printf '1234\n1234\n' | keywarden pin set 4` works; what is left over after one line stays
 * for the next read.
 */
export class SecretReader {
  private buffered = '';
  private ended = false;

  constructor(
    private readonly input: SecretInput,
    /** Where prompts go: standard error, so standard output stays the command's result. */
    private readonly prompt: (text: string) => void,
  ) {}

  /** `what` names the secret when a pipe ends before it ("no card number on standard input"). */
  read(prompt: string, what = 'PIN'): Promise<string> {
    this.prompt(prompt);
    return this.input.isTTY && this.input.setRawMode ? this.readRaw() : this.readLine(what);
  }

  private readRaw(): Promise<string> {
    const input = this.input;
    return new Promise((resolve, reject) => {
      let secret = '';
      const finish = (error?: Error) => {
        input.removeListener('data', onData);
        input.setRawMode?.(false);
        input.pause();
        this.prompt('\n');
        if (error) reject(error);
        else resolve(secret);
      };
      const onData = (chunk: Buffer | string) => {
        for (const char of chunk.toString()) {
          if (char === '\r' || char === '\n' || char === CTRL_D) return finish();
          if (char === CTRL_C)
            return finish(new KeywardenError('USAGE', 'cancelled; nothing changed'));
          if (BACKSPACES.has(char)) secret = secret.slice(0, -1);
          else secret += char;
        }
      };
      input.setRawMode?.(true);
      input.on('data', onData);
      input.resume();
    });
  }

  private readLine(what: string): Promise<string> {
    const input = this.input;
    return new Promise((resolve, reject) => {
      const take = (): boolean => {
        const end = this.buffered.indexOf('\n');
        if (end !== -1) {
          const line = this.buffered.slice(0, end).replace(/\r$/, '');
          this.buffered = this.buffered.slice(end + 1);
          done();
          resolve(line);
          return true;
        }
        if (this.ended) {
          const rest = this.buffered;
          this.buffered = '';
          done();
          if (rest.length > 0) resolve(rest);
          else reject(new KeywardenError('USAGE', `no ${what} on standard input; nothing changed`));
          return true;
        }
        return false;
      };
      const onData = (chunk: Buffer | string) => {
        this.buffered += chunk.toString();
        take();
      };
      const onEnd = () => {
        this.ended = true;
        take();
      };
      const done = () => {
        input.removeListener('data', onData);
        input.removeListener('end', onEnd);
        input.pause();
      };
      if (take()) return;
      input.on('data', onData);
      input.on('end', onEnd);
      input.resume();
    });
  }
}
