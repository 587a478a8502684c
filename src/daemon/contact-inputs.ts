import type { GpioDriver, InputPin } from '../../drivers/gpio/gpio.js';
import type { EmergencyReleases, ProfileInputs } from '../config/profile.js';
import type { CabinetInput } from '../domain/cabinet-inputs.js';

/** The profile's optional contacts, claimed; an absent one is not wired. */
export interface ContactInputs {
  tamper?: InputPin;
  powerFail?: InputPin;
  emergency?: { pin: InputPin; releases: EmergencyReleases };
}

/** Claims the optional contacts with their own debounce (activeLow is the driver's business). */
export function claimContactInputs(gpio: GpioDriver, inputs: ProfileInputs): ContactInputs {
  const claimed: ContactInputs = {};
  const claim = (spec: { pin: Parameters<GpioDriver['input']>[0]; debounceMs: number }) =>
    gpio.input(spec.pin, { debounceMs: spec.debounceMs });
  if (inputs.tamper) claimed.tamper = claim(inputs.tamper);
  if (inputs.powerFail) claimed.powerFail = claim(inputs.powerFail);
  if (inputs.emergency)
    claimed.emergency = { pin: claim(inputs.emergency), releases: inputs.emergency.releases };
  return claimed;
}

/**
 * Turns the contacts into cabinet inputs: each change, and at start the ones already active
 * (a tamper switch open or a fire alarm on when the daemon starts must count too). Returns the
 * functions that stop listening.
 */
export function watchContactInputs(
  contacts: ContactInputs,
  handle: (input: CabinetInput) => void,
): Array<() => void> {
  const unsubscribes: Array<() => void> = [];
  const watch = (pin: InputPin | undefined, toInput: (active: boolean) => CabinetInput) => {
    if (!pin) return;
    unsubscribes.push(pin.onChange((active) => handle(toInput(active))));
    if (pin.read()) handle(toInput(true));
  };
  watch(contacts.tamper, (active) => ({ kind: 'tamper', active }));
  watch(contacts.powerFail, (failed) => ({ kind: 'power', failed }));
  const emergency = contacts.emergency;
  watch(emergency?.pin, (active) =>
    active
      ? { kind: 'emergency_start', source: 'input', releases: emergency!.releases }
      : { kind: 'emergency_end', source: 'input' },
  );
  return unsubscribes;
}
