import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isDriverError } from '../errors.js';
import { listChips, pickHeaderChip, readLines, resolveLine } from './chardev-chip.js';
import { CONSUMER_PREFIX } from './chardev-gpio.js';
import type { PinSpec } from './gpio.js';
import { parseToolVersion, type ChipInfo, type LineInfo } from './gpio-tools-output.js';
import type { GpioTools } from './gpio-tools.js';
import {
  DEFAULT_HEADER_CHIP_LABELS,
  DEFAULT_SYSFS_GPIO_ROOT,
  findHeaderChip,
} from './header-chip.js';

/*
 * The GPIO situation as `keywarden doctor` reports it: which chip is the header, its sysfs
 * base, and each configured pin free or held (and by whom). It never throws and never claims
 * a line: each fault becomes one line of `problems`, saying what to do.
 */

export type PinState =
  /** Nobody holds the line: the daemon can claim it. */
  | 'free'
  /** Held by a Keywarden daemon (chardev consumer "keywarden:<pin>"). */
  | 'keywarden'
  /**
   * Exported in /sys/class/gpio: by a running onoff daemon, or left by one that crashed. onoff
   * takes such a pin over; chardev cannot claim it until it is unexported.
   */
  | 'sysfs'
  /** Held by something else: another program, a kernel driver. */
  | 'busy'
  /** The header chip has no such line. */
  | 'missing'
  /** Neither libgpiod's tools nor sysfs could say. */
  | 'unknown';

export interface PinReport {
  name: string;
  bcm: number;
  state: PinState;
  /** The header chip's line offset, and its name there. */
  line?: number;
  lineName?: string;
  /** Who holds it, when busy or keywarden. */
  consumer?: string;
}

export interface GpioReport {
  driver: 'onoff' | 'chardev';
  /** The header chip as the character device names it (gpiodetect). */
  chip?: ChipInfo;
  /** Its sysfs base (onoff adds it to BCM numbers); absent without sysfs GPIO. */
  sysfsBase?: number;
  /** libgpiod tools' major version, when installed. */
  toolsVersion?: number;
  pins: PinReport[];
  /** One line per fault, each with its fix. Empty when the GPIO is ready for the driver. */
  problems: string[];
}

export interface GpioReportOptions {
  driver: 'onoff' | 'chardev';
  pins: readonly PinSpec[];
  tools: GpioTools;
  chipLabels?: readonly string[];
  sysfsRoot?: string;
}

export function describeGpio(options: GpioReportOptions): GpioReport {
  const labels = options.chipLabels ?? DEFAULT_HEADER_CHIP_LABELS;
  const sysfsRoot = options.sysfsRoot ?? DEFAULT_SYSFS_GPIO_ROOT;
  const problems: string[] = [];
  const report: GpioReport = { driver: options.driver, pins: [], problems };

  try {
    report.sysfsBase = findHeaderChip(sysfsRoot, labels).base;
  } catch (error) {
    // Only onoff needs sysfs; kernels may drop it (CONFIG_GPIO_SYSFS) and chardev won't mind.
    if (options.driver === 'onoff') problems.push(`${message(error)}: try gpio.driver "chardev"`);
  }

  const version = options.tools.run('gpioset', ['--version']);
  if (version.status === 0) report.toolsVersion = parseToolVersion(version.stdout);
  if (options.driver === 'chardev' && (report.toolsVersion ?? 0) < 2) {
    problems.push(
      report.toolsVersion === undefined
        ? "libgpiod's tools are not installed: apt install gpiod"
        : `gpioset is libgpiod ${report.toolsVersion}.x; chardev needs 2.x (Debian 13 / Trixie), ` +
            'or use gpio.driver "onoff"',
    );
  }

  let lines: LineInfo[] | undefined;
  if (report.toolsVersion !== undefined) {
    try {
      report.chip = pickHeaderChip(listChips(options.tools), labels);
      lines = readLines(options.tools, report.chip);
    } catch (error) {
      problems.push(`${message(error)}: check gpio.chipLabels and that /dev/gpiochip* is readable`);
    }
  }

  for (const pin of options.pins) {
    const entry = lines && report.chip ? fromLines(pin, report.chip, lines) : fromSysfs(pin);
    report.pins.push(entry);
    if (entry.state === 'sysfs' && options.driver === 'chardev') {
      problems.push(
        `pin '${pin.name}' (BCM ${pin.bcm}) is exported in ${sysfsRoot}: ` +
          `echo ${(report.sysfsBase ?? 0) + pin.bcm} > ${sysfsRoot}/unexport`,
      );
    } else if (entry.state === 'busy') {
      problems.push(
        `pin '${pin.name}' (BCM ${pin.bcm}) is held by '${entry.consumer ?? '?'}': ` +
          'free it (stop that program, remove its dtoverlay) or move the pin in the profile',
      );
    } else if (entry.state === 'missing') {
      problems.push(
        `pin '${pin.name}' (BCM ${pin.bcm}): the header chip has no such line: fix the profile`,
      );
    }
  }
  return report;

  function fromSysfs(pin: PinSpec): PinReport {
    // Without the tools, sysfs can still say whether a pin is exported (onoff's way of holding).
    if (report.sysfsBase === undefined) return { name: pin.name, bcm: pin.bcm, state: 'unknown' };
    const exported = existsSync(join(sysfsRoot, `gpio${report.sysfsBase + pin.bcm}`));
    return { name: pin.name, bcm: pin.bcm, state: exported ? 'sysfs' : 'free' };
  }
}

function fromLines(pin: PinSpec, chip: ChipInfo, lines: readonly LineInfo[]): PinReport {
  let line: LineInfo;
  try {
    line = resolveLine(pin, chip, lines);
  } catch {
    return { name: pin.name, bcm: pin.bcm, state: 'missing' };
  }
  const base = {
    name: pin.name,
    bcm: pin.bcm,
    line: line.offset,
    ...(line.name === undefined ? {} : { lineName: line.name }),
  };
  if (line.consumer === undefined) return { ...base, state: 'free' };
  if (line.consumer === 'sysfs') return { ...base, state: 'sysfs', consumer: line.consumer };
  const ours = line.consumer.startsWith(`${CONSUMER_PREFIX}:`);
  return { ...base, state: ours ? 'keywarden' : 'busy', consumer: line.consumer };
}

function message(error: unknown): string {
  return isDriverError(error) || error instanceof Error ? error.message : String(error);
}
