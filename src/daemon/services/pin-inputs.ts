import type { CabinetInput } from '../../domain/cabinet-inputs.js';
import type { Logger } from '../../log/logger.js';
import type { CabinetRunner } from '../cabinet-runner.js';
import { watchContactInputs } from '../contact-inputs.js';
import type { CabinetHardware } from '../hardware.js';
import type { Service } from '../service.js';

/**
 * The cabinet's switches as flow inputs: each slot's key-present switch, the door contact and
 * the optional contacts (tamper, power fail, emergency). On start each is read once, so a door
 * already open or a key already gone counts. Like every input, they stop before the outputs go
 * off.
 */
export function pinInputsService(
  hardware: CabinetHardware,
  runner: CabinetRunner,
  logger: Logger,
): Service {
  let unsubscribes: Array<() => void> = [];
  const handle = (input: CabinetInput) => runner.handle(input);
  return {
    name: 'pin inputs',
    start() {
      const { keyPresent, doorSensor } = hardware;
      keyPresent.forEach((pin, i) => {
        const slot = i + 1;
        unsubscribes.push(pin.onChange((present) => handle({ kind: 'presence', slot, present })));
        if (pin.read()) handle({ kind: 'presence', slot, present: true });
      });
      unsubscribes.push(doorSensor.onChange((open) => handle({ kind: 'door', open })));
      if (doorSensor.read()) handle({ kind: 'door', open: true });
      // cabinet.tamper alone does not say which: the log tells a wiring fault from the switch.
      const wiringTrouble = (disagree: boolean) =>
        disagree
          ? logger.warn(
              'the supervised emergency input: its two contacts disagree (a shorted or cut wire); ' +
                'cabinet.tamper raised, nothing released',
            )
          : logger.info('the supervised emergency input: its two contacts agree again');
      unsubscribes.push(...watchContactInputs(hardware.contacts, handle, wiringTrouble));
    },
    stop() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      unsubscribes = [];
    },
  };
}
