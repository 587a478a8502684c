import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeGpio } from '../../../drivers/gpio/gpio-report.js';
import { FakeGpioTools } from './fake-gpio-tools.js';
import { fakeSysfs } from './fake-sysfs.js';
import { layout, PI_LAYOUTS, sysfsChips, type PiLayout } from './pi-layouts.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function sysfsOf(pi: PiLayout): string {
  const sysfs = fakeSysfs(sysfsChips(pi));
  cleanups.push(sysfs.cleanup);
  return sysfs.root;
}

const PINS = [
  { bcm: 17, name: 'slot1.solenoid' },
  { bcm: 27, name: 'door.sensor', activeLow: true },
];

describe('describeGpio', () => {
  it.each(PI_LAYOUTS)('$title: names the header chip and its base, every pin free', (pi) => {
    const report = describeGpio({
      driver: 'chardev',
      pins: PINS,
      tools: new FakeGpioTools(pi),
      sysfsRoot: sysfsOf(pi),
    });
    expect(report).toMatchObject({
      chip: { name: pi.header.dev, label: pi.header.label },
      sysfsBase: pi.header.base,
      toolsVersion: 2,
      problems: [],
    });
    expect(report.pins).toEqual([
      { name: 'slot1.solenoid', bcm: 17, state: 'free', line: 17, lineName: 'GPIO17' },
      { name: 'door.sensor', bcm: 27, state: 'free', line: 27, lineName: 'GPIO27' },
    ]);
  });

  it('tells a pin held by another program (with the fix) from one held by Keywarden', () => {
    const pi = layout('Pi 5, kernel 6.6 before 6.6.47');
    const tools = new FakeGpioTools(pi);
    tools.hold('gpiochip4', 17, 'pwm-fan');
    tools.hold('gpiochip4', 27, 'keywarden:door.sensor');
    const report = describeGpio({ driver: 'chardev', pins: PINS, tools, sysfsRoot: sysfsOf(pi) });
    expect(report.pins.map((p) => [p.state, p.consumer])).toEqual([
      ['busy', 'pwm-fan'],
      ['keywarden', 'keywarden:door.sensor'],
    ]);
    expect(report.problems).toEqual([
      "pin 'slot1.solenoid' (BCM 17) is held by 'pwm-fan': free it (stop that program, " +
        'remove its dtoverlay) or move the pin in the profile',
    ]);
  });

  it('reads libgpiod 1.6 output on Bookworm, where onoff is the driver', () => {
    const pi = layout('Pi 4, kernel 6.6');
    const tools = new FakeGpioTools(pi, { version: 1 });
    tools.hold('gpiochip0', 27, 'sysfs');
    const root = sysfsOf(pi);
    const report = describeGpio({ driver: 'onoff', pins: PINS, tools, sysfsRoot: root });
    expect(report).toMatchObject({ toolsVersion: 1, sysfsBase: 512, problems: [] });
    expect(report.pins.map((p) => p.state)).toEqual(['free', 'sysfs']);
    // The same machine with chardev: too old, and the exported pin must be unexported first.
    const chardev = describeGpio({ driver: 'chardev', pins: PINS, tools, sysfsRoot: root });
    expect(chardev.problems).toEqual([
      'gpioset is libgpiod 1.x; chardev needs 2.x (Debian 13 / Trixie), or use gpio.driver "onoff"',
      `pin 'door.sensor' (BCM 27) is exported in ${root}: echo 539 > ${root}/unexport`,
    ]);
  });

  it('without the tools, onoff still learns the base and which pins sysfs has exported', () => {
    const pi = layout('Pi 5, kernel 6.6.47 and later');
    const root = sysfsOf(pi);
    mkdirSync(join(root, 'gpio598')); // 571 + 27: exported by a running (or crashed) onoff
    const tools = new FakeGpioTools(pi, { missing: true });
    const report = describeGpio({ driver: 'onoff', pins: PINS, tools, sysfsRoot: root });
    expect(report).toMatchObject({ sysfsBase: 571, problems: [] });
    expect(report.chip).toBeUndefined();
    expect(report.pins.map((p) => p.state)).toEqual(['free', 'sysfs']);
    const chardev = describeGpio({ driver: 'chardev', pins: PINS, tools, sysfsRoot: root });
    expect(chardev.problems[0]).toBe("libgpiod's tools are not installed: apt install gpiod");
  });

  it('names a missing header chip, a missing sysfs and a missing line, each with its fix', () => {
    const expander: PiLayout = {
      title: 'expander only',
      chips: [{ dev: 'gpiochip0', label: 'my-expander', ngpio: 8, base: 600 }],
      header: { dev: 'gpiochip0', label: 'my-expander', base: 600 },
    };
    const tools = new FakeGpioTools(expander);
    const none = describeGpio({
      driver: 'onoff',
      pins: PINS,
      tools,
      sysfsRoot: join(sysfsOf(expander), 'absent'),
    });
    expect(none.problems).toHaveLength(2);
    expect(none.problems[0]).toMatch(/cannot read .*absent.*: try gpio.driver "chardev"$/);
    expect(none.problems[1]).toMatch(/found gpiochip0 \[my-expander\]: check gpio.chipLabels/);
    expect(none.pins.map((p) => p.state)).toEqual(['unknown', 'unknown']);
    const custom = describeGpio({
      driver: 'chardev',
      pins: [{ bcm: 5, name: 'ok' }, ...PINS],
      tools,
      chipLabels: ['my-expander'],
      sysfsRoot: sysfsOf(expander),
    });
    expect(custom.pins.map((p) => p.state)).toEqual(['free', 'missing', 'missing']);
    expect(custom.problems[0]).toBe(
      "pin 'slot1.solenoid' (BCM 17): the header chip has no such line: fix the profile",
    );
  });
});
