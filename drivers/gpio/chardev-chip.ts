import { DriverError } from '../errors.js';
import type { PinSpec } from './gpio.js';
import {
  parseGpiodetect,
  parseGpioinfo,
  parseToolVersion,
  type ChipInfo,
  type LineInfo,
} from './gpio-tools-output.js';
import type { GpioToolName, GpioTools } from './gpio-tools.js';
import { DEFAULT_HEADER_CHIP_LABELS } from './header-chip.js';

/*
 * The header chip and its lines as the character device shows them. Unlike sysfs there is no
 * base to add: a line is (chip, offset), and the chip is found by its label, never by its
 * number, because the number moved (Pi 5: gpiochip4 before kernel 6.6.47, gpiochip0 after).
 */

/**
 * Runs a start-up tool, turning "not installed" and a failure into errors that say what to do.
 */
export function runTool(tools: GpioTools, tool: GpioToolName, args: readonly string[]): string {
  const result = tools.run(tool, args);
  if (result.error || result.status === null) {
    const missing = result.error?.code === 'ENOENT';
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      missing
        ? `${tool} not found: the chardev GPIO driver needs libgpiod's tools (apt install gpiod)`
        : `${tool} ${args.join(' ')} did not finish: ${result.error?.message ?? 'killed'}`,
      { cause: result.error },
    );
  }
  if (result.status !== 0) {
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      `${tool} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.trim() || 'no reason given'}`,
    );
  }
  return result.stdout;
}

/**
 * The driver speaks the version 2 tools (Debian 13 Trixie and later): version 1.6 (Debian 12
 * Bookworm) cannot hold a line while changing its value, and has no debounce.
 */
export function checkToolVersion(tools: GpioTools): void {
  const version = parseToolVersion(runTool(tools, 'gpioset', ['--version']));
  if (version === undefined || version < 2) {
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      `the chardev GPIO driver needs libgpiod 2 tools (Debian 13 / Raspberry Pi OS Trixie); ` +
        `gpioset is version ${version ?? 'unknown'}. On Bookworm use gpio.driver "onoff".`,
    );
  }
  if (!runTool(tools, 'gpioset', ['--help']).includes('--interactive')) {
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      'this gpioset was built without --interactive, which the chardev GPIO driver needs ' +
        'to hold an output while changing it',
    );
  }
}

export function listChips(tools: GpioTools): ChipInfo[] {
  return parseGpiodetect(runTool(tools, 'gpiodetect', []));
}

/** The header controller: the first of `labels` some chip carries, exactly one such chip. */
export function findChardevHeaderChip(
  tools: GpioTools,
  labels: readonly string[] = DEFAULT_HEADER_CHIP_LABELS,
): ChipInfo {
  return pickHeaderChip(listChips(tools), labels);
}

export function pickHeaderChip(chips: readonly ChipInfo[], labels: readonly string[]): ChipInfo {
  const seen = chips.map((c) => `${c.name} [${c.label}]`).join(', ') || 'no GPIO chips';
  const label = labels.find((l) => chips.some((c) => c.label === l));
  if (label === undefined) {
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      `no Raspberry Pi header GPIO chip (${labels.join(', ')}) among /dev/gpiochip*; found ${seen}`,
    );
  }
  const matches = chips.filter((c) => c.label === label);
  const [chip] = matches;
  if (!chip || matches.length > 1) {
    // Guessing between two chips could drive a line on the wrong one: refuse instead.
    throw new DriverError('GPIO_UNAVAILABLE', `more than one '${label}' GPIO chip: ${seen}`);
  }
  return chip;
}

export function readLines(tools: GpioTools, chip: ChipInfo): LineInfo[] {
  // `--chip` is version 2's spelling; a bare chip name is version 1's. Try the first.
  const result = tools.run('gpioinfo', ['--chip', chip.name]);
  if (result.status === 0) return parseGpioinfo(result.stdout);
  return parseGpioinfo(runTool(tools, 'gpioinfo', [chip.name]));
}

/**
 * The line a pin means: the one named `GPIO<bcm>`, as the Raspberry Pi device trees name the
 * header lines; otherwise the offset equal to the BCM number (on every Pi header chip the
 * offset is the BCM number; lines such as BCM 14 are named for their function, 'TXD1').
 */
export function resolveLine(spec: PinSpec, chip: ChipInfo, lines: readonly LineInfo[]): LineInfo {
  const named = lines.find((line) => line.name === `GPIO${spec.bcm}`);
  if (named) return named;
  const byOffset = lines.find((line) => line.offset === spec.bcm);
  if (byOffset) return byOffset;
  throw new DriverError(
    'GPIO_UNAVAILABLE',
    `GPIO pin '${spec.name}' (BCM ${spec.bcm}): chip ${chip.name} [${chip.label}] has no line ` +
      `named GPIO${spec.bcm} and no line ${spec.bcm} (it has ${chip.lines} lines)`,
  );
}
