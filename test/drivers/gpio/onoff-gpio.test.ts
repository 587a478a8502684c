import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_INPUT_DEBOUNCE_MS,
  loadOnoff,
  OnoffGpioDriver,
} from '../../../drivers/gpio/onoff-gpio.js';
import { isDriverError } from '../../../drivers/errors.js';
import { silentLogger } from '../../../src/log/logger.js';
import { createFakeOnoff, type FakeOnoff } from './fake-onoff.js';
import { fakeSysfs, PI4_CHIPS } from './fake-sysfs.js';

let sysfs: ReturnType<typeof fakeSysfs>;
let fake: FakeOnoff;
let driver: OnoffGpioDriver;

beforeEach(() => {
  sysfs = fakeSysfs(PI4_CHIPS); // header chip base 512
  fake = createFakeOnoff();
  driver = new OnoffGpioDriver({ Gpio: fake.Gpio, sysfsRoot: sysfs.root, logger: silentLogger() });
});
afterEach(() => sysfs.cleanup());

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isDriverError(err) ? err.code : 'not a DriverError';
  }
  return undefined;
}

describe('OnoffGpioDriver outputs', () => {
  it('numbers pins as header chip base + BCM', () => {
    driver.output({ bcm: 17, name: 'slot1.solenoid' });
    driver.input({ bcm: 27, name: 'door.sensor' });
    expect(fake.pins.map((p) => p.args.gpio)).toEqual([529, 539]);
  });

  it('claims an active-high output electrically low, never high', () => {
    const out = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    const pin = fake.pin(529);
    expect(pin.args.direction).toBe('low');
    expect(pin.args.options).toMatchObject({ activeLow: false, reconfigureDirection: true });
    expect(pin.levels).toEqual([0]);
    expect(out.state).toBe(false);
  });

  it('claims an active-low output electrically high, never low', () => {
    const out = driver.output({ bcm: 22, activeLow: true, name: 'relay' });
    const pin = fake.pin(534);
    expect(pin.args.direction).toBe('high');
    expect(pin.args.options).toMatchObject({ activeLow: true });
    expect(pin.levels).toEqual([1]);
    expect(out.state).toBe(false);
  });

  it('writes logical values: on drives an active-low pin electrically low', () => {
    const out = driver.output({ bcm: 22, activeLow: true, name: 'relay' });
    out.write(true);
    expect(fake.pin(534).level).toBe(0);
    expect(out.state).toBe(true);
  });

  it('forces off a pin left on by a crashed run when onoff could not reconfigure it', () => {
    fake.quirks.set(529, { initialLevel: 1, ignoreDirection: true });
    driver.output({ bcm: 17, name: 'slot1.solenoid' });
    expect(fake.pin(529).level).toBe(0);
  });

  it('refuses a pin whose kernel polarity differs from the profile, leaving it off', () => {
    fake.quirks.set(534, { activeLowStuckAt: false });
    expect(codeOf(() => driver.output({ bcm: 22, activeLow: true, name: 'relay' }))).toBe(
      'GPIO_UNAVAILABLE',
    );
    expect(fake.pin(534).level).toBe(1); // electrically off for an active-low relay
    expect(fake.pin(534).unexported).toBe(true);
  });

  it('wraps a failed claim in GPIO_UNAVAILABLE and frees the name for a retry', () => {
    fake.quirks.set(529, { throwOnConstruct: new Error('EBUSY') });
    expect(codeOf(() => driver.output({ bcm: 17, name: 'slot1.solenoid' }))).toBe(
      'GPIO_UNAVAILABLE',
    );
    fake.quirks.delete(529);
    expect(driver.output({ bcm: 17, name: 'slot1.solenoid' }).state).toBe(false);
  });
});

describe('OnoffGpioDriver inputs', () => {
  it('watches both edges with the requested or default debounce', () => {
    driver.input({ bcm: 27, name: 'door.sensor' }, { debounceMs: 50 });
    driver.input({ bcm: 5, name: 'slot1.presence' });
    expect(fake.pin(539).args).toMatchObject({ direction: 'in', edge: 'both' });
    expect(fake.pin(539).args.options).toMatchObject({ debounceTimeout: 50 });
    expect(fake.pin(517).args.options).toMatchObject({
      debounceTimeout: DEFAULT_INPUT_DEBOUNCE_MS,
    });
  });

  it('maps electrical levels through activeLow for read and onChange', () => {
    fake.quirks.set(539, { initialLevel: 1 }); // pulled up: an active-low switch at rest
    const input = driver.input({ bcm: 27, activeLow: true, name: 'door.sensor' });
    const seen: boolean[] = [];
    input.onChange((on) => seen.push(on));
    expect(input.read()).toBe(false);
    fake.pin(539).simulateEdge(1); // a bounce back to the resting level is not a change
    fake.pin(539).simulateEdge(0);
    expect(input.read()).toBe(true);
    fake.pin(539).simulateEdge(0); // a repeated edge is not a change
    fake.pin(539).simulateEdge(1);
    expect(seen).toEqual([true, false]);
  });

  it('stops calling a listener after unsubscribe and survives watch errors', () => {
    const input = driver.input({ bcm: 27, name: 'door.sensor' });
    const seen: boolean[] = [];
    const unsubscribe = input.onChange((on) => seen.push(on));
    fake.pin(539).simulateError(new Error('EPOLL'));
    fake.pin(539).simulateEdge(1);
    unsubscribe();
    fake.pin(539).simulateEdge(0);
    expect(seen).toEqual([true]);
  });
});

describe('OnoffGpioDriver.close', () => {
  it('drives every output off before unexporting anything', () => {
    const a = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    const b = driver.output({ bcm: 22, activeLow: true, name: 'relay' });
    driver.input({ bcm: 27, name: 'door.sensor' });
    a.write(true);
    b.write(true);
    fake.log.length = 0;
    driver.close();
    expect(fake.log).toEqual([
      'write 529 0',
      'write 534 0',
      'unexport 529',
      'unexport 534',
      'unexport 539',
    ]);
    expect([fake.pin(529).level, fake.pin(534).level]).toEqual([0, 1]);
    expect([a.state, b.state]).toEqual([false, false]);
  });

  it('keeps going when one output fails, and ignores only harmless writes afterwards', () => {
    const a = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    const b = driver.output({ bcm: 18, name: 'slot2.solenoid' });
    b.write(true);
    fake.pin(529).writeSync = () => {
      throw new Error('EIO');
    };
    driver.close();
    expect(fake.pin(530).level).toBe(0);
    expect(fake.pins.every((p) => p.unexported)).toBe(true);
    expect(() => a.write(false)).not.toThrow();
    expect(codeOf(() => b.write(true))).toBe('GPIO_UNAVAILABLE');
  });
});

describe('OnoffGpioDriver construction and loadOnoff', () => {
  it('fails with GPIO_UNAVAILABLE when there is no header chip', () => {
    expect(
      codeOf(
        () =>
          new OnoffGpioDriver({
            Gpio: fake.Gpio,
            sysfsRoot: `${sysfs.root}/none`,
            logger: silentLogger(),
          }),
      ),
    ).toBe('GPIO_UNAVAILABLE');
  });

  it('returns the Gpio class when sysfs GPIO is accessible', async () => {
    const { Gpio } = createFakeOnoff({ accessible: true });
    await expect(loadOnoff(() => Promise.resolve({ Gpio }))).resolves.toBe(Gpio);
  });

  it('throws GPIO_UNAVAILABLE when sysfs GPIO is not accessible or onoff cannot load', async () => {
    const { Gpio } = createFakeOnoff({ accessible: false });
    await expect(loadOnoff(() => Promise.resolve({ Gpio }))).rejects.toMatchObject({
      code: 'GPIO_UNAVAILABLE',
    });
    await expect(
      loadOnoff(() => Promise.reject(new Error('epoll.node: wrong ELF class'))),
    ).rejects.toMatchObject({ code: 'GPIO_UNAVAILABLE' });
  });
});
