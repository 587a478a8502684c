import type { GpioDriver, InputPin, OutputPin } from '../../drivers/gpio/gpio.js';
import { SolenoidBank } from '../../drivers/gpio/solenoid-bank.js';
import type { HardwareProfile } from '../config/profile.js';
import type { Logger } from '../log/logger.js';
import type { CabinetOutputs } from './cabinet-runner.js';
import { claimContactInputs, type ContactInputs } from './contact-inputs.js';

export interface CabinetHardware {
  outputs: CabinetOutputs;
  keyPresent: InputPin[];
  doorSensor: InputPin;
  /** The profile's optional contacts (tamper, power fail, emergency). */
  contacts: ContactInputs;
  /** Every output off, synchronously: safe to call from a crash handler. */
  allOff(): void;
}

/** How long a door contact must settle before a change counts (mechanical bounce). */
const INPUT_DEBOUNCE_MS = 20;

/**
 * Claims every pin the profile names. Outputs first, each driven off as it is claimed, so the
 * cabinet is in its safe state before any input can cause anything.
 */
export function claimHardware(
  gpio: GpioDriver,
  profile: HardwareProfile,
  logger: Logger,
): CabinetHardware {
  const solenoidPins = new Map<number, OutputPin>();
  for (const slot of profile.slots) solenoidPins.set(slot.number, gpio.output(slot.solenoid));
  const doorLock = gpio.output(profile.door.lock);
  const green = gpio.output(profile.indicators.green);
  const red = gpio.output(profile.indicators.red);
  const buzzer = gpio.output(profile.indicators.buzzer);
  const solenoids = new SolenoidBank({
    outputs: solenoidPins,
    maxOnMs: profile.solenoids.maxOnMs,
    maxConcurrent: profile.solenoids.maxConcurrent,
    minOffMs: profile.solenoids.minOffMs,
    logger: logger.child({ module: 'solenoids' }),
  });
  const keyPresent = profile.slots.map((slot) =>
    gpio.input(slot.keyPresent, { debounceMs: INPUT_DEBOUNCE_MS }),
  );
  const doorSensor = gpio.input(profile.door.sensor, { debounceMs: INPUT_DEBOUNCE_MS });
  const contacts = claimContactInputs(gpio, profile.inputs);
  const everyOutput = [...solenoidPins.values(), doorLock, green, red, buzzer];
  return {
    outputs: { solenoids, doorLock, green, red, buzzer },
    keyPresent,
    doorSensor,
    contacts,
    allOff() {
      for (const pin of everyOutput) {
        try {
          pin.write(false);
        } catch {
          // Keep going: one failing pin must not leave the others energised.
        }
      }
    },
  };
}
