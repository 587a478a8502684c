import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DriverError } from '../errors.js';

/**
 * Labels of the GPIO controller wired to the 40-pin header, per Raspberry Pi generation.
 *
 * Deliberately absent: 'pinctrl-bcm2712'. On early Pi 5 images it is the SoC's own GPIO block
 * and appears *next to* 'pinctrl-rp1' (e.g. gpiochip0 [pinctrl-bcm2712] + gpiochip4
 * [pinctrl-rp1]); the Pi 5 header is always on the RP1. Matching it would drive the wrong lines.
 */
export const DEFAULT_HEADER_CHIP_LABELS: readonly string[] = [
  'pinctrl-bcm2835', // Pi 1-3, Zero (and Pi 4 on older kernels)
  'pinctrl-bcm2711', // Pi 4, 400, CM4
  'pinctrl-rp1', // Pi 5, 500, CM5
];

export const DEFAULT_SYSFS_GPIO_ROOT = '/sys/class/gpio';

export interface HeaderChip {
  /** Directory name under the sysfs root, e.g. 'gpiochip512'. */
  chip: string;
  label: string;
  /** Added to a BCM number to get the sysfs GPIO number (512 on a Pi 4 with kernel 6.6+). */
  base: number;
}

/**
 * Finds the header controller: the first label of `labels` that some chip carries. The base is
 * never assumed: kernel 6.6 moved it from 0 to 512 (Pi 4) and 571 (Pi 5), and may move it again.
 */
export function findHeaderChip(
  sysfsRoot: string = DEFAULT_SYSFS_GPIO_ROOT,
  labels: readonly string[] = DEFAULT_HEADER_CHIP_LABELS,
): HeaderChip {
  const chips = listChips(sysfsRoot);
  const seen = chips.map((c) => `${c.chip} '${c.label}'`).join(', ') || 'no gpiochip entries';
  // Labels are tried in order, so a profile can say which controller it prefers.
  const label = labels.find((l) => chips.some((c) => c.label === l));
  if (label === undefined) {
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      `no Raspberry Pi header GPIO chip (${labels.join(', ')}) in ${sysfsRoot}; found ${seen}`,
    );
  }
  const matches = chips.filter((c) => c.label === label);
  if (matches.length > 1) {
    // Guessing between two chips could drive a line on the wrong one: refuse instead.
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      `more than one '${label}' GPIO chip in ${sysfsRoot}: ${seen}`,
    );
  }
  const [chip] = matches;
  if (!chip || chip.base === undefined) {
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      `cannot read a numeric base for ${chip?.chip ?? 'the header chip'} in ${sysfsRoot}`,
    );
  }
  return { chip: chip.chip, label: chip.label, base: chip.base };
}

export function findHeaderChipBase(
  sysfsRoot: string = DEFAULT_SYSFS_GPIO_ROOT,
  labels: readonly string[] = DEFAULT_HEADER_CHIP_LABELS,
): number {
  return findHeaderChip(sysfsRoot, labels).base;
}

interface ChipEntry {
  chip: string;
  label: string;
  base: number | undefined;
}

function listChips(sysfsRoot: string): ChipEntry[] {
  let names: string[];
  try {
    names = readdirSync(sysfsRoot);
  } catch (cause) {
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      `cannot read ${sysfsRoot}: is this a Raspberry Pi with sysfs GPIO enabled?`,
      { cause },
    );
  }
  return names
    .filter((name) => /^gpiochip\d+$/.test(name))
    .sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)))
    .map((chip) => {
      const base = readAttribute(sysfsRoot, chip, 'base');
      return {
        chip,
        label: readAttribute(sysfsRoot, chip, 'label') ?? '?',
        base: base !== undefined && /^\d+$/.test(base) ? Number(base) : undefined,
      };
    });
}

function readAttribute(root: string, chip: string, attribute: string): string | undefined {
  try {
    return readFileSync(join(root, chip, attribute), 'utf8').trim();
  } catch {
    return undefined;
  }
}
