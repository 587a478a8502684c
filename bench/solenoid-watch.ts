import type { SimGpioDriver, SimOutputEvent } from '../drivers/gpio/sim-gpio.js';

const SOLENOID = /^slot\d+\.solenoid$/;

/**
 * Catches the first slot solenoid energised after a point in time. Only slot solenoids count:
 * the door lock and the green LED are driven in the same step, but "the key can come out" is
 * the moment a slot's solenoid is written on.
 */
export class SolenoidWatch {
  private waiter: ((at: number) => void) | null = null;
  private readonly unsubscribe: () => void;

  constructor(gpio: SimGpioDriver) {
    this.unsubscribe = gpio.onOutput((event) => this.onOutput(event));
  }

  /**
   * Arms the watch and resolves with the `at` of the next solenoid `on: true`, or null after
   * `timeoutMs`. Arm it before the write that should cause it, so it cannot be missed.
   */
  next(timeoutMs: number): Promise<number | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = (at) => {
        clearTimeout(timer);
        resolve(at);
      };
    });
  }

  close(): void {
    this.waiter = null;
    this.unsubscribe();
  }

  private onOutput(event: SimOutputEvent): void {
    if (!event.on || !SOLENOID.test(event.name)) return;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(event.at);
  }
}
