import { silentLogger, type Logger } from '../../../../src/log/logger.js';
import { ReaderPort } from '../../../../drivers/serial/reader-port.js';
import { realPortFactory } from '../../../../drivers/serial/serial-port-like.js';

/** A ReaderPort on a real device path through the real serialport package, fast retries. */
export function realReaderPort(name: string, path: string, logger: Logger = silentLogger()) {
  return new ReaderPort({
    name,
    path,
    baudRate: 9600,
    factory: realPortFactory,
    logger,
    reopenIntervalMs: 50,
    // The backstop for the rare killed socat that gives no disconnect (field notes: 1 in 26)
    // must fire well inside a test's wait.
    livenessIntervalMs: 250,
  });
}
