/**
 * The logging the drivers do, and all they need of a logger: a child with fixed fields, and four
 * levels taking fields and a message. The application injects its own; pino's `Logger`
 * satisfies this as it is (the way zigbee-herdsman's adapters take a logger), so the drivers
 * depend on no logging library and on nothing of the application.
 *
 * The drivers log card and fob tag numbers raw, in fields named `card` and `tag`: masking them is
 * the injected logger's job (the application's does it in src/log/logger.ts), so one rule decides
 * what a log may show.
 */
export interface DriverLogger {
  child(bindings: Record<string, unknown>): DriverLogger;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

export interface LogMethod {
  (fields: object, message: string): void;
  (message: string): void;
}
