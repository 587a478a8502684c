import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../src/paths.js';
import { serviceNodeFlags } from './service-node-flags.js';

/** The console's shipped unit, whose node options the child gets. */
export const WEB_SERVICE_UNIT = join('systemd', 'keywarden-web.service');

const LISTEN_TIMEOUT_MS = 30_000;

/**
 * The built console (`keywarden web`) as a child process, as systemd runs it: the unit's node
 * options, its own config, reaching the daemon only through the custodian socket. Like
 * test/support/web-process.ts, but found from the package root, so it also works from
 * dist/bench/, and with the unit's options.
 */
export class WebChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** The unit's node options, as the report names them. */
  static nodeFlags(): string[] {
    return serviceNodeFlags(readFileSync(join(packageRoot(), WEB_SERVICE_UNIT), 'utf8'));
  }

  /**
   * Spawns it and resolves once it logs where it listens. `nodeArgs` come after the unit's (a
   * benchmark's `--cpu-prof`).
   */
  static async start(configFile: string, nodeArgs: string[] = []): Promise<WebChild> {
    const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
    const child = spawn(
      process.execPath,
      [...WebChild.nodeFlags(), ...nodeArgs, cli, 'web', '--config', configFile],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const tail: string[] = [];
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`keywarden web did not listen within ${LISTEN_TIMEOUT_MS} ms`)),
          LISTEN_TIMEOUT_MS,
        );
        const onLine = (line: string) => {
          tail.push(line);
          if (tail.length > 10) tail.shift();
          if (!line.includes('"msg":"web console listening"')) return;
          clearTimeout(timer);
          resolve(String((JSON.parse(line) as { url: unknown }).url));
        };
        createInterface({ input: child.stdout }).on('line', onLine);
        createInterface({ input: child.stderr }).on('line', onLine);
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`keywarden web exited (${code ?? signal}):\n${tail.join('\n')}`));
        });
      });
      return new WebChild(child, url);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null
      ? this.child.pid
      : undefined;
  }

  /** SIGTERM, as systemd stops it; resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
}
