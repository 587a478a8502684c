import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { realPortFactory } from '../../drivers/serial/serial-port-like.js';
import { parseCommandArgs } from '../../src/cli/command.js';
import { selftestCommandWith } from '../../src/cli/commands/selftest.js';
import { createLogger } from '../../src/log/logger.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';

/**
 * The simulated 12-slot cabinet on the bench: simulated GPIO the test can read and move, the
 * badge and fob readers on real socat ptys through the real serialport package, and the
 * installer played by `react`, which answers each prompt from what the hardware really did.
 */
export class SelftestBench {
  readonly gpio = new SimGpioDriver({ logger: createLogger({ level: 'silent' }) });
  readonly input = new PassThrough();
  readonly out: string[] = [];
  readonly prompts: string[] = [];
  /** Every output that was switched on, by pin name, in order. */
  readonly switchedOn: string[] = [];
  private onPrompt: (prompt: string) => void = () => undefined;

  private constructor(
    readonly dir: string,
    readonly config: string,
    readonly badge: PtyPair,
    readonly fob: PtyPair,
  ) {
    this.gpio.onOutput((event) => {
      if (event.on) this.switchedOn.push(event.name);
    });
  }

  static async open(): Promise<SelftestBench> {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-selftest-'));
    const [badge, fob] = await Promise.all([openPtyPair(), openPtyPair()]);
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        version: 1,
        cabinetId: 'bench-cab',
        profile: 'sim',
        database: join(dir, 'cabinet.db'),
        readers: { badgePath: badge.devicePath, fobPath: fob.devicePath },
      }),
    );
    return new SelftestBench(dir, config, badge, fob);
  }

  /** The installer: called with each prompt as it is written. */
  react(onPrompt: (prompt: string) => void): void {
    this.onPrompt = onPrompt;
  }

  /** The installer's current reaction, for a test that overrides a few answers. */
  get reaction(): (prompt: string) => void {
    return this.onPrompt;
  }

  answer(line: string): void {
    this.input.write(`${line}\n`);
  }

  async run(...argv: string[]): Promise<number> {
    const command = selftestCommandWith({ gpio: this.gpio, portFactory: realPortFactory });
    const args = parseCommandArgs(command, [...argv, '--config', this.config]);
    const code = await command.run(args, {
      out: (line) => this.out.push(line),
      err: (line) => {
        this.prompts.push(line);
        this.onPrompt(line);
      },
      stdin: this.input,
    });
    return typeof code === 'number' ? code : 0;
  }

  async close(): Promise<void> {
    await Promise.all([this.badge.close(), this.fob.close()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
