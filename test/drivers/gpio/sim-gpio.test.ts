import { describe, expect, it } from 'vitest';
import { SimGpioDriver, type SimOutputEvent } from '../../../drivers/gpio/sim-gpio.js';
import { isDriverError } from '../../../drivers/errors.js';
import { silentLogger } from '../../../src/log/logger.js';

function sim(): { driver: SimGpioDriver; events: SimOutputEvent[]; setTime: (t: number) => void } {
  let time = 0;
  const driver = new SimGpioDriver({ logger: silentLogger(), now: () => time });
  const events: SimOutputEvent[] = [];
  driver.onOutput((e) => events.push(e));
  return { driver, events, setTime: (t) => (time = t) };
}

describe('SimGpioDriver outputs', () => {
  it('claims outputs off and reports every write with the injected time', () => {
    const { driver, events, setTime } = sim();
    const out = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    setTime(42);
    out.write(true);
    expect(events).toEqual([
      { name: 'slot1.solenoid', bcm: 17, on: false, at: 0 },
      { name: 'slot1.solenoid', bcm: 17, on: true, at: 42 },
    ]);
    expect(driver.outputs()).toEqual([{ name: 'slot1.solenoid', bcm: 17, on: true }]);
  });

  it('drives outputs off on close and refuses to energise afterwards', () => {
    const { driver } = sim();
    const out = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    out.write(true);
    driver.close();
    expect(driver.outputs()).toEqual([{ name: 'slot1.solenoid', bcm: 17, on: false }]);
    expect(() => out.write(false)).not.toThrow();
    expect(() => out.write(true)).toThrow(/closed/);
  });

  it('keeps writing when an observer throws', () => {
    const { driver } = sim();
    driver.onOutput(() => {
      throw new Error('observer bug');
    });
    const out = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    out.write(true);
    expect(out.state).toBe(true);
  });

  it('stops reporting after unsubscribe', () => {
    const driver = new SimGpioDriver({ logger: silentLogger() });
    const seen: boolean[] = [];
    const off = driver.onOutput((e) => seen.push(e.on));
    const out = driver.output({ bcm: 17, name: 'slot1.solenoid' });
    off();
    out.write(true);
    expect(seen).toEqual([false]);
  });
});

describe('SimGpioDriver inputs', () => {
  it('takes an initial value set before the claim', () => {
    const { driver } = sim();
    driver.setInput('door.sensor', true);
    const input = driver.input({ bcm: 27, name: 'door.sensor' });
    expect(input.read()).toBe(true);
    expect(driver.inputs()).toEqual([{ name: 'door.sensor', bcm: 27, on: true }]);
  });

  it('fires onChange only on a change, until unsubscribed', () => {
    const { driver } = sim();
    const input = driver.input({ bcm: 27, name: 'door.sensor' });
    const seen: boolean[] = [];
    const unsubscribe = input.onChange((on) => seen.push(on));
    driver.setInput('door.sensor', false);
    driver.setInput('door.sensor', true);
    driver.setInput('door.sensor', true);
    unsubscribe();
    driver.setInput('door.sensor', false);
    expect(seen).toEqual([true]);
    expect(input.read()).toBe(false);
  });

  it('refuses to drive an output as an input, and duplicate pins', () => {
    const { driver } = sim();
    driver.output({ bcm: 17, name: 'slot1.solenoid' });
    expect(() => driver.setInput('slot1.solenoid', true)).toThrow(/output/);
    let err: unknown;
    try {
      driver.input({ bcm: 17, name: 'other' });
    } catch (e) {
      err = e;
    }
    expect(isDriverError(err, 'PIN_CONFLICT')).toBe(true);
  });
});
