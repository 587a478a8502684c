import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChardevGpioDriver } from '../../../drivers/gpio/chardev-gpio.js';
import { systemGpioTools, type ToolProcess } from '../../../drivers/gpio/gpio-tools.js';
import { silentLogger } from '../../../src/log/logger.js';
import { waitFor } from '../../support/wait-for.js';

/** The built module (npm run build): the parent-death test runs it in a process it kills. */
const BUILT_TOOLS = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'dist',
  'drivers',
  'gpio',
  'gpio-tools.js',
);

/*
 * The real child-process plumbing (spawn, pipes, line splitting, EOF, exit) against stand-in
 * tools written as shell scripts: there is no /dev/gpiochip on this machine, but what the
 * driver relies on from a process is the same.
 */

let bin: string;
beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'keywarden-gpio-tools-'));
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

function script(name: string, body: string): void {
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/bash\n${body}\n`);
  chmodSync(file, 0o755);
}

/** An interactive gpioset: logs what it reads, answers `get` with the last value set. */
function standInGpioset(): void {
  script(
    'gpioset',
    `case "$1" in
  --version) echo "gpioset (libgpiod) v2.1.3"; exit 0;;
  --help) echo "  -i, --interactive"; exit 0;;
esac
log="$(dirname "$0")/gpioset.log"
last="\${*: -1}"; id="\${last%%=*}"; value="\${last#*=}"
echo $$ > "$(dirname "$0")/gpioset.pid"
echo "start $id=$value" >> "$log"
while IFS= read -r line; do
  echo "$line" >> "$log"
  case "$line" in
    set*) value="\${line##*=}";;
    get*) if [ "$value" = 1 ]; then echo "gpioset> \\"$id\\"=active"; else echo "gpioset> \\"$id\\"=inactive"; fi;;
    exit) echo "released" >> "$log"; exit 0;;
  esac
done
# As libgpiod 2's: the end of input does not end it; it keeps holding the line.
echo "eof" >> "$log"
exec sleep 600`,
  );
}

function exited(process: ToolProcess): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => process.onExit((status, stderr) => resolve({ status, stderr })));
}

describe('systemGpioTools', () => {
  it('runs a tool to completion and reports ENOENT when it is not installed', () => {
    standInGpioset();
    const tools = systemGpioTools({ binDir: bin });
    expect(tools.run('gpioset', ['--version'])).toMatchObject({
      status: 0,
      stdout: 'gpioset (libgpiod) v2.1.3\n',
    });
    expect(tools.run('gpiodetect', []).error?.code).toBe('ENOENT');
  });

  it('hands commands over in order, answers on stdout, and exits on exit', async () => {
    standInGpioset();
    const holder = systemGpioTools({ binDir: bin }).start('gpioset', ['--interactive', '17=0']);
    const lines: string[] = [];
    holder.onLine((line) => lines.push(line));
    const exit = exited(holder);
    holder.write('set 17=1\n');
    holder.write('get 17\n');
    holder.write('set 17=0\nexit\n');
    expect(await exit).toEqual({ status: 0, stderr: '' });
    expect(lines).toEqual(['gpioset> "17"=active']);
    expect(readFileSync(join(bin, 'gpioset.log'), 'utf8').split('\n')).toEqual([
      'start 17=0',
      'set 17=1',
      'get 17',
      'set 17=0',
      'exit',
      'released',
      '',
    ]);
    expect(() => holder.write('set 17=1\n')).not.toThrow(); // after exit: dropped, no crash
  });

  it('splits output into lines across chunks and reports a kill and the stderr of a failure', async () => {
    script('gpiomon', 'printf "rising 2"; printf "7\\nfalling 27\\n"; exec sleep 600');
    script(
      'gpioget',
      'echo "gpioget: unable to request lines: Device or resource busy" >&2; exit 1',
    );
    const tools = systemGpioTools({ binDir: bin });
    const monitor = tools.start('gpiomon', ['27']);
    const lines: string[] = [];
    const two = new Promise<void>((resolve) =>
      monitor.onLine((line) => {
        lines.push(line);
        if (lines.length === 2) resolve();
      }),
    );
    await two;
    expect(lines).toEqual(['rising 27', 'falling 27']);
    const exit = exited(monitor);
    monitor.kill();
    expect((await exit).status).toBeNull();
    const failed = exited(tools.start('gpioget', ['27']));
    expect(await failed).toEqual({
      status: 1,
      stderr: 'gpioget: unable to request lines: Device or resource busy',
    });
    const missing = exited(systemGpioTools({ binDir: join(bin, 'none') }).start('gpiomon', []));
    expect((await missing).stderr).toMatch(/ENOENT|No such file/);
  });

  it('drives the chardev driver end to end: confirmed off, written, off again before release', async () => {
    standInGpioset();
    script('gpiodetect', 'echo "gpiochip0 [pinctrl-rp1] (54 lines)"');
    script(
      'gpioinfo',
      'echo "gpiochip0 - 54 lines:"; for i in $(seq 0 53); do printf "\\tline %3d:\\t\\"GPIO%d\\"\\tinput\\n" $i $i; done',
    );
    const driver = new ChardevGpioDriver({
      tools: systemGpioTools({ binDir: bin }),
      logger: silentLogger(),
    });
    const out = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    await driver.ready();
    out.write(true);
    driver.close();
    await driver.released();
    const log = readFileSync(join(bin, 'gpioset.log'), 'utf8').split('\n');
    expect(log).toEqual(['start 17=0', 'get 17', 'set 17=1', 'set 17=0', 'exit', 'released', '']);
  });
});

describe('a line holder does not outlive the daemon', () => {
  it('dies when the process that started it is killed (SIGKILL, no cleanup ran)', async () => {
    standInGpioset();
    const daemon = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `const { systemGpioTools } = await import(${JSON.stringify(BUILT_TOOLS)});
       systemGpioTools({ binDir: ${JSON.stringify(bin)} }).start('gpioset', ['17=0']);
       process.stdin.resume(); // stays alive on its open stdin pipe until killed`,
    ]);
    const pidFile = join(bin, 'gpioset.pid');
    await waitFor(
      () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'),
      'the holder',
    );
    const holder = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(holder)).toBe(true);
    daemon.kill('SIGKILL');
    await waitFor(() => !alive(holder), 'the holder to end with its parent');
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
