/**
 * Errors with stable codes, so callers branch on `code` and never on message text
 * (the zwave-js pattern). Messages are for people: they say what and where.
 */
export type KeywardenErrorCode =
  | 'CONFIG_INVALID'
  | 'PROFILE_INVALID'
  | 'DATABASE_TOO_NEW'
  | 'MIGRATION_FAILED'
  | 'USAGE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  /** The caller is not allowed this: not a custodian of the cabinet, or a role too low. */
  | 'FORBIDDEN'
  | 'GPIO_UNAVAILABLE'
  /** Another daemon holds the cabinet's lock (src/daemon/cabinet-lock.ts). */
  | 'CABINET_IN_USE'
  | 'CABINET_LOCK_FAILED'
  /** The cabinet daemon is not running, or did not answer (the web console's way to it). */
  | 'DAEMON_UNAVAILABLE';

export class KeywardenError extends Error {
  constructor(
    readonly code: KeywardenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KeywardenError';
  }
}

export function isKeywardenError(
  value: unknown,
  code?: KeywardenErrorCode,
): value is KeywardenError {
  return value instanceof KeywardenError && (code === undefined || value.code === code);
}
