import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_HEADER_CHIP_LABELS,
  findHeaderChip,
  type HeaderChip,
} from '../../drivers/gpio/header-chip.js';
import { describeGpio } from '../../drivers/gpio/gpio-report.js';
import type { HardwareProfile, PinSpec } from '../config/profile.js';
import { mayReadWrite, type DoctorMachine } from './doctor-machine.js';
import { fail, ok, warn, type CheckResult } from './doctor-report.js';

/**
 * The GPIO situation as the profile's driver will meet it. onoff: the header chip found by
 * label in sysfs with its base, the export file usable, every configured pin not already
 * exported. chardev: libgpiod's tools, the header chip by label and each configured line free
 * (drivers/gpio/gpio-report.ts), sysfs not needed.
 */
export function checkGpio(
  profile: HardwareProfile,
  machine: DoctorMachine,
  daemonRunning: boolean,
): CheckResult[] {
  if (profile.gpio.driver === 'sim') return [ok('gpio', 'simulated (profile gpio.driver "sim")')];
  if (profile.gpio.driver === 'chardev') return checkChardev(profile, machine, daemonRunning);
  const root = machine.sysfsGpio;
  if (!existsSync(root)) {
    return [
      fail(
        'gpio',
        `${root} does not exist: this kernel offers no sysfs GPIO`,
        'run on a Raspberry Pi OS kernel (it has CONFIG_GPIO_SYSFS), or set gpio.driver "sim" in the profile to try without hardware',
      ),
    ];
  }
  let chip: HeaderChip;
  const labels = profile.gpio.chipLabels ?? DEFAULT_HEADER_CHIP_LABELS;
  try {
    chip = findHeaderChip(root, labels);
  } catch (error) {
    return [
      fail(
        'gpio',
        (error as Error).message,
        `set gpio.chipLabels in ${profile.file} to the header controller's label (cat ${root}/gpiochip*/label)`,
      ),
    ];
  }
  const results = [
    ok('gpio', `header chip ${chip.chip} "${chip.label}", base ${chip.base} (driver onoff)`),
  ];
  const exportFile = join(root, 'export');
  let exportOk: boolean;
  try {
    exportOk = mayReadWrite(statSync(exportFile), machine.user);
  } catch {
    exportOk = false;
  }
  if (!exportOk) {
    results.push(
      fail(
        'gpio export',
        `${exportFile} is not writable by ${machine.user.name}`,
        `sudo usermod -aG gpio ${machine.user.name} (Raspberry Pi OS gives ${root} to group gpio)`,
      ),
    );
  }
  results.push(checkPinsFree(profile, chip, root, daemonRunning));
  return results;
}

function checkChardev(
  profile: HardwareProfile,
  machine: DoctorMachine,
  daemonRunning: boolean,
): CheckResult[] {
  const report = describeGpio({
    driver: 'chardev',
    pins: pinsOf(profile),
    tools: machine.gpioTools,
    sysfsRoot: machine.sysfsGpio,
    ...(profile.gpio.chipLabels ? { chipLabels: profile.gpio.chipLabels } : {}),
  });
  const results: CheckResult[] = [];
  if (report.chip) {
    results.push(
      ok(
        'gpio',
        `header chip ${report.chip.name} "${report.chip.label}" (driver chardev, libgpiod ${report.toolsVersion ?? '?'}.x)`,
      ),
    );
  }
  // Each problem already says what and its fix, after the last ": ".
  for (const problem of report.problems) {
    const at = problem.lastIndexOf(': ');
    const [what, fix] =
      at < 0 ? [problem, 'see docs/gpio.md'] : [problem.slice(0, at), problem.slice(at + 2)];
    results.push(fail('gpio', what, fix));
  }
  const held = report.pins.filter((pin) => pin.state === 'keywarden').length;
  if (report.problems.length === 0) {
    results.push(
      held > 0 && daemonRunning
        ? ok('gpio pins', `${held} of ${report.pins.length} lines held by the running daemon`)
        : ok('gpio pins', `all ${report.pins.length} configured lines free`),
    );
  }
  return results;
}

/**
 * An exported pin is one some process set up: the running daemon's own, or another program's
 * (or a crashed daemon's: onoff takes such a pin over, so this is a warning, not a failure).
 */
function checkPinsFree(
  profile: HardwareProfile,
  chip: HeaderChip,
  root: string,
  daemonRunning: boolean,
): CheckResult {
  const pins = pinsOf(profile);
  const exported = pins.filter((pin) => existsSync(join(root, `gpio${chip.base + pin.bcm}`)));
  if (exported.length === 0) return ok('gpio pins', `all ${pins.length} configured pins free`);
  if (daemonRunning) {
    return ok('gpio pins', `${exported.length} of ${pins.length} pins held by the running daemon`);
  }
  const named = exported.map((p) => `${p.name} (BCM ${p.bcm}, gpio${chip.base + p.bcm})`);
  return warn(
    'gpio pins',
    `exported with no daemon running: ${named.join(', ')}`,
    `stop the program using them, or release each with: echo <number> | sudo tee ${root}/unexport`,
  );
}

/** Every pin the profile wires: slots, door, indicators and optional contacts. */
export function pinsOf(profile: HardwareProfile): PinSpec[] {
  const { inputs } = profile;
  return [
    ...profile.slots.flatMap((slot) => [slot.solenoid, slot.keyPresent]),
    profile.door.lock,
    profile.door.sensor,
    profile.indicators.green,
    profile.indicators.red,
    profile.indicators.buzzer,
    ...[inputs.tamper, inputs.powerFail, inputs.emergency].flatMap((input) =>
      input ? [input.pin] : [],
    ),
    ...(inputs.emergency?.confirm ? [inputs.emergency.confirm.pin] : []),
  ];
}
