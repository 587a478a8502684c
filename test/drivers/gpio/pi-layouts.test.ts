import { afterEach, describe, expect, it } from 'vitest';
import {
  findChardevHeaderChip,
  readLines,
  resolveLine,
} from '../../../drivers/gpio/chardev-chip.js';
import { findHeaderChip } from '../../../drivers/gpio/header-chip.js';
import { FakeGpioTools } from './fake-gpio-tools.js';
import { fakeSysfs } from './fake-sysfs.js';
import { PI_LAYOUTS, sysfsChips } from './pi-layouts.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

/*
 * Both drivers against the same machines: the chardev driver by /dev/gpiochipN and label, the
 * onoff driver by /sys/class/gpio/gpiochip<base> and label. Each must pick the header chip,
 * whatever number the kernel gave it.
 */
describe.each(PI_LAYOUTS)('$title', (pi) => {
  it('chardev: finds the header chip by label', () => {
    const chip = findChardevHeaderChip(new FakeGpioTools(pi));
    expect({ dev: chip.name, label: chip.label }).toEqual({
      dev: pi.header.dev,
      label: pi.header.label,
    });
  });

  it('onoff: finds the header chip base in sysfs', () => {
    const sysfs = fakeSysfs(sysfsChips(pi));
    cleanups.push(sysfs.cleanup);
    expect(findHeaderChip(sysfs.root)).toEqual({
      chip: `gpiochip${pi.header.base}`,
      label: pi.header.label,
      base: pi.header.base,
    });
  });

  it('chardev: BCM 17 is line 17 named GPIO17, BCM 14 line 14 whatever its name', () => {
    const tools = new FakeGpioTools(pi);
    const chip = findChardevHeaderChip(tools);
    const lines = readLines(tools, chip);
    expect(resolveLine({ bcm: 17, name: 'a' }, chip, lines)).toMatchObject({
      offset: 17,
      name: 'GPIO17',
    });
    expect(resolveLine({ bcm: 14, name: 'b' }, chip, lines).offset).toBe(14);
  });
});
