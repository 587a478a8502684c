import { isDriverError, type DriverErrorCode } from '../../drivers/errors.js';
import { KeywardenError, type KeywardenErrorCode } from '../errors.js';

/** What each driver code means to the application, but for a bad setting (whose fault varies). */
const APPLICATION_CODE: Record<Exclude<DriverErrorCode, 'INVALID_SETTING'>, KeywardenErrorCode> = {
  PIN_CONFLICT: 'CONFLICT',
  NOT_AN_INPUT: 'USAGE',
  GPIO_UNAVAILABLE: 'GPIO_UNAVAILABLE',
};

/**
 * A driver's error as the application reports it: the same message, and the application's code,
 * which decides the exit status (a bad profile or config exits 78 and systemd does not retry).
 * `invalidSetting` names where the driver's settings came from. Anything else passes unchanged.
 */
export function fromDriverError(
  error: unknown,
  invalidSetting: 'PROFILE_INVALID' | 'CONFIG_INVALID',
): unknown {
  if (!isDriverError(error)) return error;
  const code = error.code === 'INVALID_SETTING' ? invalidSetting : APPLICATION_CODE[error.code];
  return new KeywardenError(code, error.message, { cause: error });
}
