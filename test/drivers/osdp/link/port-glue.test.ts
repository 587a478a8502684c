import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/log/logger.js';
import { encodeFrame } from '../../../../drivers/osdp/frame.js';
import { createOsdpBus } from '../../../../drivers/osdp/link/bus.js';
import { connectBusToPort, writeToPort } from '../../../../drivers/osdp/link/port-glue.js';
import { ReaderPort } from '../../../../drivers/serial/reader-port.js';
import { SimPortRegistry } from '../../../../drivers/serial/sim-port.js';
import { nextEvent } from '../../serial/helpers/events.js';
import { ManualBusClock } from './helpers/manual-clock.js';
import { unhex } from '../helpers/hex.js';

function simReader() {
  const registry = new SimPortRegistry();
  const sim = registry.get('sim:osdp');
  const port = new ReaderPort({
    name: 'osdp',
    path: 'sim:osdp',
    baudRate: 9600,
    factory: registry.factory,
    logger: silentLogger(),
    reopenIntervalMs: 20,
    livenessIntervalMs: 0,
  });
  return { sim, port };
}

describe('ReaderPort.write', () => {
  it('puts bytes on the open port, and drops them (false) while none is open', async () => {
    const { sim, port } = simReader();
    expect(port.write(Uint8Array.of(1, 2))).toBe(false);
    const online = nextEvent(port, 'online');
    port.start();
    await online;
    expect(port.write(Uint8Array.of(0x53, 0x00))).toBe(true);
    expect(sim.written).toEqual([Buffer.of(0x53, 0x00)]);
    const offline = nextEvent(port, 'offline');
    sim.unplug();
    await offline;
    expect(port.write(Uint8Array.of(3))).toBe(false);
    await port.stop();
  });
});

describe('connectBusToPort', () => {
  it("wires the port's bytes and outages to the bus, and unwires them", async () => {
    const { sim, port } = simReader();
    const clock = new ManualBusClock();
    const bus = createOsdpBus({
      readers: [{ address: 0, name: 'front', secure: 'off' }],
      write: writeToPort(port),
      clock,
      logger: silentLogger(),
    });
    const disconnect = connectBusToPort(bus, port);
    const online = nextEvent(port, 'online');
    port.start();
    await online;
    bus.start();
    // The bus's first command reached the port: ID to address 0, sequence 0.
    expect(sim.written[0]).toEqual(unhex('ff 53 00 09 00 04 61 00 c0 66'));
    // Bytes from the line reach the bus's decoder.
    const garbled: string[] = [];
    bus.on('garbled', (g) => garbled.push(g.reason));
    const ackFromNine = encodeFrame({
      address: 9,
      reply: true,
      sequence: 0,
      integrity: 'crc',
      code: 0x40,
      data: new Uint8Array(0),
    });
    sim.inject(Buffer.concat([unhex('13 37'), ackFromNine]));
    expect(garbled).toEqual([expect.stringMatching(/outside a frame/), 'wrong address']);
    const offline: string[] = [];
    bus.on('offline', (o) => offline.push(o.reason));
    const portOffline = nextEvent(port, 'offline');
    sim.unplug();
    await portOffline;
    expect(offline).toEqual([expect.stringMatching(/^serial port: /)]);
    disconnect();
    sim.inject(Buffer.concat([unhex('13 37'), ackFromNine]));
    expect(garbled).toHaveLength(2);
    bus.stop();
    await port.stop();
  });
});
