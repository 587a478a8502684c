import { describe, expect, it, vi } from 'vitest';
import { ChardevGpioDriver } from '../../../drivers/gpio/chardev-gpio.js';
import { DEFAULT_INPUT_DEBOUNCE_MS } from '../../../drivers/gpio/onoff-gpio.js';
import { isDriverError } from '../../../drivers/errors.js';
import { silentLogger } from '../../../src/log/logger.js';
import { FakeGpioTools, type FakeToolsOptions } from './fake-gpio-tools.js';
import { layout, type PiLayout } from './pi-layouts.js';

const PI5_NEW = layout('Pi 5, kernel 6.6.47 and later');
const PI4 = layout('Pi 4, kernel 6.6');

function setUp(pi: PiLayout = PI5_NEW, options: FakeToolsOptions = {}) {
  const tools = new FakeGpioTools(pi, options);
  const driver = new ChardevGpioDriver({ tools, logger: silentLogger() });
  return { tools, driver, dev: pi.header.dev };
}

function failure(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    expect(isDriverError(err, 'GPIO_UNAVAILABLE')).toBe(true);
    return err as Error;
  }
  throw new Error('expected GPIO_UNAVAILABLE');
}

describe('ChardevGpioDriver outputs', () => {
  it('requests an output on the header chip found by label, off from the first instant', async () => {
    const { tools, driver, dev } = setUp();
    const out = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    await driver.ready();
    const line = tools.line(dev, 17);
    expect(line.levels).toEqual([0]);
    expect(line.consumer).toBe('keywarden:slot1.solenoid');
    expect(out.state).toBe(false);
    expect(tools.processes[0]?.request).toMatchObject({ chip: 'gpiochip0', value: 0 });
  });

  it('requests an active-low output electrically high (off) in the same request', async () => {
    const { tools, driver, dev } = setUp(PI4);
    const out = driver.output({ bcm: 22, activeLow: true, name: 'relay' });
    await driver.ready();
    expect(tools.line(dev, 22).levels).toEqual([1]);
    out.write(true);
    expect(tools.line(dev, 22).level).toBe(0);
    expect(out.state).toBe(true);
  });

  it('writes change the held line without releasing it', () => {
    const { tools, driver, dev } = setUp();
    const out = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    out.write(true);
    out.write(false);
    out.write(true);
    expect(tools.line(dev, 17).levels).toEqual([0, 1, 0, 1]);
    expect(tools.log.filter((l) => l.startsWith('release'))).toEqual([]);
  });

  it('refuses a line another process holds, naming the pin, the chip and the holder', () => {
    const { tools, driver, dev } = setUp();
    tools.hold(dev, 17, 'gpio-fan');
    const message = failure(() => driver.output({ bcm: 17, name: 'slot1.solenoid' })).message;
    expect(message).toContain("'slot1.solenoid'");
    expect(message).toContain('gpiochip0 [pinctrl-rp1] line 17 "GPIO17"');
    expect(message).toContain("busy: held by 'gpio-fan'");
    expect(tools.processes).toEqual([]);
    // The name is free again for a corrected retry.
    tools.line(dev, 17).consumer = undefined;
    expect(driver.output({ bcm: 17, name: 'slot1.solenoid' }).state).toBe(false);
  });

  it('says when the holder is another Keywarden or sysfs', () => {
    const { tools, driver, dev } = setUp();
    tools.hold(dev, 17, 'keywarden:slot1.solenoid');
    tools.hold(dev, 18, 'sysfs');
    expect(failure(() => driver.output({ bcm: 17, name: 'a' })).message).toContain(
      'another Keywarden daemon',
    );
    expect(failure(() => driver.output({ bcm: 18, name: 'b' })).message).toContain(
      '/sys/class/gpio',
    );
  });

  it('ready() rejects naming the pin when a line was taken between the check and the request', async () => {
    const { tools, driver, dev } = setUp();
    const realStart = tools.start.bind(tools);
    tools.start = (tool, args) => {
      tools.hold(dev, 17, 'gpio-fan'); // another process wins the race
      return realStart(tool, args);
    };
    driver.output({ bcm: 17, name: 'slot1.solenoid' });
    await expect(driver.ready()).rejects.toThrow(/'slot1\.solenoid'.*Device or resource busy/);
  });

  it('a tool that ends while the driver is open is a fault, reported once per line', async () => {
    const tools = new FakeGpioTools(PI5_NEW);
    const faults: string[] = [];
    const driver = new ChardevGpioDriver({
      tools,
      logger: silentLogger(),
      onFault: (error) => faults.push(`${error.code}: ${error.message}`),
    });
    driver.output({ bcm: 17, name: 'slot1.solenoid' });
    driver.input({ bcm: 27, name: 'door.sensor' });
    await driver.ready();
    expect(faults).toEqual([]);
    const monitor = tools.processes.find((p) => p.tool === 'gpiomon');
    expect(monitor).toBeDefined();
    monitor?.die('killed by OOM');
    await vi.waitFor(() => expect(faults).toHaveLength(1));
    expect(faults[0]).toMatch(/^GPIO_UNAVAILABLE: .*door\.sensor.*killed by OOM/);
    // Closing ends every tool on purpose: no fault for those.
    driver.close();
    await driver.released();
    expect(faults).toHaveLength(1);
  });

  it('a holder that dies makes writes fail loudly instead of silently', async () => {
    const { tools, driver } = setUp();
    const out = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    await driver.ready();
    tools.processes[0]?.die('killed by OOM');
    await expect(driver.released()).resolves.toBeUndefined();
    expect(failure(() => out.write(true)).message).toContain('killed by OOM');
  });

  it('refuses a BCM number the chip has no line for, naming pin and chip', () => {
    const small: PiLayout = {
      title: 'expander',
      chips: [{ dev: 'gpiochip2', label: 'my-expander', ngpio: 8, base: 600 }],
      header: { dev: 'gpiochip2', label: 'my-expander', base: 600 },
    };
    const tools = new FakeGpioTools(small);
    const driver = new ChardevGpioDriver({
      tools,
      chipLabels: ['my-expander'],
      logger: silentLogger(),
    });
    expect(driver.output({ bcm: 7, name: 'last' }).state).toBe(false);
    const message = failure(() => driver.output({ bcm: 12, name: 'slot9.solenoid' })).message;
    expect(message).toContain("'slot9.solenoid' (BCM 12)");
    expect(message).toContain('gpiochip2 [my-expander] has no line named GPIO12 and no line 12');
  });
});

describe('ChardevGpioDriver inputs', () => {
  it('reads the level at claim, then reports debounced edges as changes', async () => {
    const { tools, driver, dev } = setUp();
    tools.line(dev, 27).level = 1;
    const input = driver.input({ bcm: 27, activeLow: true, name: 'door.sensor' });
    await driver.ready();
    expect(input.read()).toBe(false); // pulled up: an active-low switch at rest
    const seen: boolean[] = [];
    input.onChange((on) => seen.push(on));
    tools.edge(dev, 27, 0);
    await Promise.resolve();
    expect(input.read()).toBe(true);
    tools.edge(dev, 27, 1);
    await Promise.resolve();
    expect(seen).toEqual([true, false]);
    const monitor = tools.processes[0];
    expect(monitor?.tool).toBe('gpiomon');
    expect(tools.line(dev, 27).consumer).toBe('keywarden:door.sensor');
  });

  it('asks the kernel for both edges and the requested or default debounce', () => {
    const { tools, driver } = setUp();
    driver.input({ bcm: 27, name: 'door.sensor' }, { debounceMs: 50 });
    driver.input({ bcm: 5, name: 'slot1.keyPresent' });
    driver.input({ bcm: 6, name: 'tamper' }, { debounceMs: 0 });
    expect(tools.processes.map((p) => [p.tool, p.request.offset])).toEqual([
      ['gpiomon', 27],
      ['gpiomon', 5],
      ['gpiomon', 6],
    ]);
    expect(startArgs(tools, 0)).toContain('--debounce-period 50ms');
    expect(startArgs(tools, 1)).toContain(`--debounce-period ${DEFAULT_INPUT_DEBOUNCE_MS}ms`);
    expect(startArgs(tools, 2)).not.toContain('--debounce-period');
    expect(startArgs(tools, 0)).toContain('--edges both');
  });

  it('a repeated edge is not a change, and unsubscribe stops the listener', async () => {
    const { tools, driver, dev } = setUp();
    const input = driver.input({ bcm: 27, name: 'door.sensor' });
    const seen: boolean[] = [];
    const unsubscribe = input.onChange((on) => seen.push(on));
    tools.processes[0]?.emit('rising 27');
    tools.processes[0]?.emit('rising 27');
    await Promise.resolve();
    unsubscribe();
    tools.edge(dev, 27, 0);
    tools.edge(dev, 27, 1);
    await Promise.resolve();
    expect(seen).toEqual([true]);
  });

  it('a failed first read frees the pin for a retry, and says why', () => {
    const { tools, driver } = setUp();
    const realRun = tools.run.bind(tools);
    tools.run = (tool, args) =>
      tool === 'gpioget'
        ? { status: 1, stdout: '', stderr: 'gpioget: Permission denied' }
        : realRun(tool, args);
    expect(failure(() => driver.input({ bcm: 27, name: 'door.sensor' })).message).toContain(
      'Permission denied',
    );
    tools.run = realRun;
    expect(driver.input({ bcm: 27, name: 'door.sensor' }).read()).toBe(false);
  });

  it('refuses a busy input before anything is started', () => {
    const { tools, driver, dev } = setUp();
    tools.hold(dev, 27, 'w1-gpio');
    expect(failure(() => driver.input({ bcm: 27, name: 'door.sensor' })).message).toContain(
      "held by 'w1-gpio'",
    );
    expect(tools.processes).toEqual([]);
  });
});

describe('ChardevGpioDriver.close', () => {
  it('drives every output off before releasing anything, and leaves them off', async () => {
    const { tools, driver, dev } = setUp(PI4);
    const a = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    const b = driver.output({ bcm: 22, activeLow: true, name: 'relay' });
    driver.input({ bcm: 27, name: 'door.sensor' });
    await driver.ready();
    a.write(true);
    b.write(true);
    tools.log.length = 0;
    driver.close();
    await driver.released();
    expect(tools.log).toEqual([
      'set gpiochip0 17 0',
      'set gpiochip0 22 1',
      'release gpiochip0 17',
      'release gpiochip0 22',
      'release gpiochip0 27',
    ]);
    // Released at their safe level: low for the active-high coil, high for the inverting relay.
    expect([tools.line(dev, 17).level, tools.line(dev, 22).level]).toEqual([0, 1]);
    expect([a.state, b.state]).toEqual([false, false]);
    expect(() => a.write(false)).not.toThrow();
    expect(failure(() => b.write(true)).message).toContain('closed');
    expect(failure(() => driver.output({ bcm: 5, name: 'late' })).message).toContain('closed');
  });

  it('keeps going when one holder has died', async () => {
    const { tools, driver, dev } = setUp();
    driver.output({ bcm: 17, name: 'slot1.solenoid' });
    const b = driver.output({ bcm: 18, name: 'slot2.solenoid' });
    b.write(true);
    tools.processes[0]?.die('gone');
    await Promise.resolve();
    driver.close();
    await driver.released();
    expect(tools.line(dev, 18).level).toBe(0);
    expect(tools.chips[0]?.lines.every((l) => l.consumer === undefined)).toBe(true);
  });
});

describe('ChardevGpioDriver start-up checks', () => {
  it('says to install gpiod when the tools are missing', () => {
    const tools = new FakeGpioTools(PI5_NEW, { missing: true });
    expect(
      failure(() => new ChardevGpioDriver({ tools, logger: silentLogger() })).message,
    ).toContain('apt install gpiod');
  });

  it('refuses libgpiod 1.x tools, pointing at onoff', () => {
    const tools = new FakeGpioTools(PI5_NEW, { version: 1 });
    expect(
      failure(() => new ChardevGpioDriver({ tools, logger: silentLogger() })).message,
    ).toContain('needs libgpiod 2 tools');
  });

  it('refuses a gpioset without --interactive', () => {
    const tools = new FakeGpioTools(PI5_NEW, { noInteractive: true });
    expect(
      failure(() => new ChardevGpioDriver({ tools, logger: silentLogger() })).message,
    ).toContain('--interactive');
  });

  it('names what it found when no chip has a header label', () => {
    const tools = new FakeGpioTools({
      title: 'x86',
      chips: [{ dev: 'gpiochip0', label: 'INT34C5:00', ngpio: 32, base: 512 }],
      header: { dev: 'gpiochip0', label: 'INT34C5:00', base: 512 },
    });
    expect(
      failure(() => new ChardevGpioDriver({ tools, logger: silentLogger() })).message,
    ).toContain('found gpiochip0 [INT34C5:00]');
  });
});

function startArgs(tools: FakeGpioTools, index: number): string {
  const process = tools.processes[index];
  if (!process) throw new Error(`no process ${index}`);
  return process.args.join(' ');
}
