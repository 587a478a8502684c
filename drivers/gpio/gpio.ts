/**
 * GPIO as the rest of Keywarden sees it, in logical terms: "on" means an energised output or an
 * asserted input, whatever the electrical polarity. Polarity (`activeLow`) is a wiring fact that
 * lives in the hardware profile and is handled entirely by the driver.
 *
 * Writes are synchronous on purpose: the fail-secure path runs inside `uncaughtException`
 * handlers, where nothing asynchronous can be relied on to complete.
 */

export interface PinSpec {
  /** Broadcom (BCM) GPIO number as printed on header diagrams, not the sysfs number. */
  bcm: number;
  /** True when the electrical level is low for "on" (e.g. many relay boards). */
  activeLow?: boolean;
  /** Stable name for logs and the simulator, e.g. 'slot3.solenoid', 'door.sensor'. */
  name: string;
}

export interface OutputPin {
  readonly spec: PinSpec;
  write(on: boolean): void;
  /** The last value written (false from the moment the pin is claimed). */
  readonly state: boolean;
}

export interface InputPin {
  readonly spec: PinSpec;
  read(): boolean;
  /** Called only when the logical value changes. Returns an unsubscribe function. */
  onChange(listener: (on: boolean) => void): () => void;
}

export interface GpioDriver {
  /** Claims an output and drives it off as it is claimed. */
  output(spec: PinSpec): OutputPin;
  input(spec: PinSpec, options?: { debounceMs?: number }): InputPin;
  /** Drives every output off, then releases all pins. Safe to call more than once. */
  close(): void;
  /**
   * For a driver whose claims finish in other processes (chardev): resolves once every claimed
   * line is confirmed held, rejects naming the first pin that could not be. Absent when
   * claiming is synchronous.
   */
  ready?(): Promise<void>;
  /** After close(): resolves once every line is released and its last value applied. */
  released?(): Promise<void>;
}
