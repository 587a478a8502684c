/**
 * The drivers' errors, with stable codes to branch on (never the message text), as zwave-js's
 * ZWaveError. The application decides what a code means to its users (src/daemon/driver-errors.ts):
 * a bad setting is the profile's or the config's fault, which the drivers cannot know.
 * Messages are for people: they say what and where.
 */
export type DriverErrorCode =
  /** A setting the driver was given is out of range or incomplete (a pin number, a timing). */
  | 'INVALID_SETTING'
  /** A GPIO pin or pin name is already claimed by another. */
  | 'PIN_CONFLICT'
  /** An input was asked of a pin claimed as an output (the simulated driver). */
  | 'NOT_AN_INPUT'
  /** GPIO cannot be reached or used: no sysfs GPIO, no header chip, a claim failed, closed. */
  | 'GPIO_UNAVAILABLE';

export class DriverError extends Error {
  constructor(
    readonly code: DriverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DriverError';
  }
}

export function isDriverError(value: unknown, code?: DriverErrorCode): value is DriverError {
  return value instanceof DriverError && (code === undefined || value.code === code);
}
