import type { GpioDriver, InputPin } from '../../drivers/gpio/gpio.js';
import type { EmergencyReleases, ProfileInputs } from '../config/profile.js';
import type { CabinetInput } from '../domain/cabinet-inputs.js';
import { SupervisedContactPair } from './supervised-contact-pair.js';

/** The profile's optional contacts, claimed; an absent one is not wired. */
export interface ContactInputs {
  tamper?: InputPin;
  powerFail?: InputPin;
  emergency?: {
    pin: InputPin;
    releases: EmergencyReleases;
    /** The supervising second contact, when the input is supervised. */
    confirm?: { pin: InputPin; disagreeMs: number };
  };
}

/** Claims the optional contacts with their own debounce (activeLow is the driver's business). */
export function claimContactInputs(gpio: GpioDriver, inputs: ProfileInputs): ContactInputs {
  const claimed: ContactInputs = {};
  const claim = (spec: { pin: Parameters<GpioDriver['input']>[0]; debounceMs: number }) =>
    gpio.input(spec.pin, { debounceMs: spec.debounceMs });
  if (inputs.tamper) claimed.tamper = claim(inputs.tamper);
  if (inputs.powerFail) claimed.powerFail = claim(inputs.powerFail);
  const emergency = inputs.emergency;
  if (emergency) {
    const confirm = emergency.confirm;
    claimed.emergency = {
      pin: claim(emergency),
      releases: emergency.releases,
      ...(confirm
        ? {
            confirm: {
              pin: claim({ pin: confirm.pin, debounceMs: emergency.debounceMs }),
              disagreeMs: confirm.disagreeMs,
            },
          }
        : {}),
    };
  }
  return claimed;
}

/**
 * Turns the contacts into cabinet inputs: each change, and at start the ones already active
 * (a tamper switch open or a fire alarm on when the daemon starts must count too). Returns the
 * functions that stop listening.
 *
 * A supervised emergency input whose two contacts disagree is reported as tamper: a cable
 * shorted or cut is interference with the cabinet's wiring, the trouble a tamper switch
 * reports, and it releases nothing. The tamper alarm is on while either the switch or the
 * trouble is, so neither clears the other.
 */
export function watchContactInputs(
  contacts: ContactInputs,
  handle: (input: CabinetInput) => void,
  /** Told when a supervised pair starts and stops disagreeing, to say why tamper was raised. */
  onWiringTrouble: (disagree: boolean) => void = () => undefined,
): Array<() => void> {
  const unsubscribes: Array<() => void> = [];
  const watch = (pin: InputPin | undefined, toInput: (active: boolean) => CabinetInput) => {
    if (!pin) return;
    unsubscribes.push(pin.onChange((active) => handle(toInput(active))));
    if (pin.read()) handle(toInput(true));
  };
  const tamper = { switchOpen: false, trouble: false, reported: false };
  const reportTamper = () => {
    const active = tamper.switchOpen || tamper.trouble;
    if (active === tamper.reported) return;
    tamper.reported = active;
    handle({ kind: 'tamper', active });
  };
  const tamperSwitch = contacts.tamper;
  if (tamperSwitch) {
    const follow = (open: boolean) => {
      tamper.switchOpen = open;
      reportTamper();
    };
    unsubscribes.push(tamperSwitch.onChange(follow));
    follow(tamperSwitch.read());
  }
  watch(contacts.powerFail, (failed) => ({ kind: 'power', failed }));
  const emergency = contacts.emergency;
  if (!emergency) return unsubscribes;
  const toEmergency = (active: boolean): CabinetInput =>
    active
      ? { kind: 'emergency_start', source: 'input', releases: emergency.releases }
      : { kind: 'emergency_end', source: 'input' };
  if (!emergency.confirm) {
    watch(emergency.pin, toEmergency);
    return unsubscribes;
  }
  const pair = new SupervisedContactPair(
    emergency.pin,
    emergency.confirm.pin,
    emergency.confirm.disagreeMs,
    {
      agreed: (active) => handle(toEmergency(active)),
      trouble: (active) => {
        onWiringTrouble(active);
        tamper.trouble = active;
        reportTamper();
      },
    },
  );
  pair.start();
  unsubscribes.push(() => pair.stop());
  return unsubscribes;
}
