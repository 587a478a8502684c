import { silentLogger, type Logger } from '../../../../src/log/logger.js';
import { ReaderPort } from '../../../../drivers/serial/reader-port.js';
import { SimPortRegistry, type SimPort } from '../../../../drivers/serial/sim-port.js';

/** A ReaderPort on a fresh SimPort, with fast retries. */
export function simReaderPort(
  name: string,
  logger: Logger = silentLogger(),
): { port: ReaderPort; sim: SimPort } {
  const registry = new SimPortRegistry();
  const path = `sim:${name}`;
  const port = new ReaderPort({
    name,
    path,
    baudRate: 9600,
    factory: registry.factory,
    logger,
    reopenIntervalMs: 20,
  });
  return { port, sim: registry.get(path) };
}
