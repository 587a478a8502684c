import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';

/**
 * An MQTT URL may carry its credentials (`mqtt://user:pass@host`), and the daemon's log goes to
 * the journal, which more people read than the config. The URL was logged verbatim.
 */
const PASSWORD = 's3cret-Broker-pw';

describe('the broker password never reaches the log', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('the daemon, given a URL with user:password@, logs the URL without them', async () => {
    const files = writeCabinetFiles({
      cabinetId: 'cab-url-secret',
      // Nothing listens on port 1: the daemon logs that the broker is unreachable, with the URL.
      brokerUrl: `mqtt://cabinet:${PASSWORD}@127.0.0.1:1`,
      badgePath: 'sim:badge',
      fobPath: 'sim:fob',
    });
    cleanups.push(() => rmSync(files.dir, { recursive: true, force: true }));
    const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(files.configFile, JSON.stringify({ ...config, log: { level: 'debug' } }));
    const daemon = new DaemonProcess(files.configFile);
    cleanups.push(() => daemon.stop('SIGKILL'));

    await daemon.start();
    const unreachable = await daemon.waitForLog((l) => l.msg.startsWith('broker unreachable'));
    await daemon.stop();

    expect(unreachable.url).toBe('mqtt://[redacted]@127.0.0.1:1');
    expect(JSON.stringify(daemon.logs)).not.toContain(PASSWORD);
  });

  it('in messages, errors and secret fields too', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ pretty: false, destination, level: 'info' });
    const url = `mqtts://cabinet:${PASSWORD}@broker.example:8883`;

    logger.warn(`cannot reach ${url}`);
    logger.error({ err: new Error(`connect to ${url} failed`) }, 'link down');
    logger.info({ mqtt: { password: PASSWORD, brokerUrl: url }, pin: '4821' }, 'settings');

    const text = lines.join('');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('4821');
    expect(text).toContain('mqtts://[redacted]@broker.example:8883');
  });
});
