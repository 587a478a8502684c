import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_HEADER_CHIP_LABELS,
  findHeaderChip,
  findHeaderChipBase,
} from '../../../drivers/gpio/header-chip.js';
import { isDriverError } from '../../../drivers/errors.js';
import { fakeSysfs, PI4_CHIPS, PI5_CHIPS, type FakeChip } from './fake-sysfs.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function tree(chips: FakeChip[]): string {
  const sysfs = fakeSysfs(chips);
  cleanups.push(sysfs.cleanup);
  return sysfs.root;
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

describe('findHeaderChipBase', () => {
  it('finds the bcm2711 chip on a Pi 4, not the unrelated chip with a lower base', () => {
    expect(findHeaderChipBase(tree(PI4_CHIPS))).toBe(512);
  });

  it('finds the RP1 chip on a Pi 5', () => {
    expect(findHeaderChip(tree(PI5_CHIPS))).toEqual({
      chip: 'gpiochip571',
      label: 'pinctrl-rp1',
      base: 571,
    });
  });

  it('ignores the SoC pinctrl-bcm2712 that early Pi 5 images list beside the RP1', () => {
    const root = tree([
      { base: 453, label: 'pinctrl-bcm2712' },
      { base: 399, label: 'pinctrl-rp1' },
    ]);
    expect(findHeaderChipBase(root)).toBe(399);
  });

  it('finds the bcm2835 chip of a Pi 3 at base 0', () => {
    expect(findHeaderChipBase(tree([{ base: 0, label: 'pinctrl-bcm2835' }]))).toBe(0);
  });

  it('names the directory when it is missing', () => {
    const root = tree([]) + '/absent';
    expect(failure(() => findHeaderChipBase(root)).message).toContain(root);
  });

  it('names the directory and what it found when no label matches', () => {
    const root = tree([{ base: 512, label: 'gpio-brcmstb@107d508500' }]);
    const message = failure(() => findHeaderChipBase(root)).message;
    expect(message).toContain(root);
    expect(message).toContain('gpio-brcmstb@107d508500');
  });

  it('tries labels in order', () => {
    const root = tree([
      { base: 0, label: 'pinctrl-bcm2835' },
      { base: 512, label: 'pinctrl-bcm2711' },
    ]);
    expect(findHeaderChipBase(root, ['pinctrl-bcm2711', 'pinctrl-bcm2835'])).toBe(512);
  });

  it('refuses to guess between two chips with the same label', () => {
    const root = tree([
      { base: 512, label: 'pinctrl-rp1' },
      { base: 571, label: 'pinctrl-rp1' },
    ]);
    expect(failure(() => findHeaderChipBase(root)).message).toContain('more than one');
  });

  it('accepts a custom label list', () => {
    const root = tree([{ base: 300, label: 'my-expander' }, ...PI4_CHIPS]);
    expect(findHeaderChipBase(root, ['my-expander'])).toBe(300);
    expect(DEFAULT_HEADER_CHIP_LABELS).not.toContain('my-expander');
  });
});
