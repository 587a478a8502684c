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
      return new ChardevGpioDriver({ tools: systemGpioTools(), logger, ...labels });
    case 'onoff':
      return new OnoffGpioDriver({ Gpio: await loadOnoff(), logger, ...labels });
  }
}
