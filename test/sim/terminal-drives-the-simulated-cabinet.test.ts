import { EventEmitter, once } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { SimPortRegistry } from '../../drivers/serial/sim-port.js';
import { loadProfile } from '../../src/config/profile.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { SimCabinet } from '../../src/sim/sim-cabinet.js';
import { encodeBadge } from '../../src/sim/reader-frames.js';
import { Terminal, type TerminalCabinet } from '../../src/sim/terminal.js';

/**
 * The terminal of `npm start` needs only the narrow cabinet it names (TerminalCabinet), not the
 * daemon: here a real simulated cabinet with stand-ins for the event log and the broker link,
 * and demo cards of the test's own, passed in.
 */

const CARDS = { alice: 'ABCDEF0123', bob: '0123ABCDEF', carol: '0000000042' };
const terminals: Terminal[] = [];
afterEach(() => terminals.splice(0).forEach((t) => t.close()));

function terminalOnSimulator() {
  const profile = loadProfile('sim', hardwareDir());
  const ports = new SimPortRegistry();
  const sim = new SimCabinet(profile, new SimGpioDriver({ logger: silentLogger() }), ports);
  const runner = new EventEmitter<{ recorded: [RecordedEvent[]] }>();
  const cabinet: TerminalCabinet = {
    sim,
    demoCards: CARDS,
    runner,
    eventLog: { recent: () => [], depth: () => 0 },
    mqtt: { connected: false, publisher: new EventEmitter<{ published: [number[]] }>() },
  };
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const terminal = new Terminal(cabinet, input, output);
  terminals.push(terminal);
  return { profile, ports, runner, input, printed: () => printed };
}

it('names the demo cards it was given, and a badge by name sends that card over the wire', async () => {
  const { profile, ports, input, printed } = terminalOnSimulator();
  expect(printed()).toContain(`Demo cards: alice ${CARDS.alice}, bob ${CARDS.bob}`);
  const reader = profile.readers.badge;
  const port = ports.get(reader.path);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const wire = once(port, 'data');

  input.write('badge alice\n');

  expect((await wire)[0]).toEqual(encodeBadge(CARDS.alice, reader));
});

it('prints each recorded event, saying it waits in the outbox while the broker is away', () => {
  const { runner, printed } = terminalOnSimulator();
  const forced: RecordedEvent = {
    id: 'e7',
    seq: 7,
    cabinetId: 'test-cab',
    type: 'door.forced',
    time: '2026-12-07T01:00:00.000Z',
    clockSynced: true,
    monotonicMs: 1,
    bootId: 'boot',
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    data: {},
  };
  runner.emit('recorded', [forced]);
  expect(printed()).toContain('● #7 door.forced {}  (waiting in the outbox: broker offline)');
});
