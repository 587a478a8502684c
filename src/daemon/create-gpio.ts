import { ChardevGpioDriver } from '../../drivers/gpio/chardev-gpio.js';
import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import { systemGpioTools } from '../../drivers/gpio/gpio-tools.js';
import { loadOnoff, OnoffGpioDriver } from '../../drivers/gpio/onoff-gpio.js';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import type { HardwareProfile } from '../config/profile.js';
import type { Logger } from '../log/logger.js';

/** The GPIO driver the profile names: the daemon and `outputs-off` choose alike. */
export async function createGpio(
  gpio: HardwareProfile['gpio'],
  logger: Logger,
): Promise<GpioDriver> {
  const labels = gpio.chipLabels ? { chipLabels: gpio.chipLabels } : {};
  switch (gpio.driver) {
    case 'sim':
      return new SimGpioDriver({ logger });
    case 'chardev':
      return new ChardevGpioDriver({
        tools: systemGpioTools(),
        logger,
        ...labels,
        // Fail secure: a line we no longer hold is an output we cannot drive off or an input
        // we no longer see. Thrown outside any caller, it reaches the crash guard, which drives
        // every output off and exits; systemd restarts the daemon, which claims its lines again.
        onFault: (error) =>
          process.nextTick(() => {
            throw error;
          }),
      });
    case 'onoff':
      return new OnoffGpioDriver({ Gpio: await loadOnoff(), logger, ...labels });
  }
}
