import { describe, expect, it } from 'vitest';
import { isSimPath, SimPort, SimPortRegistry } from '../../../drivers/serial/sim-port.js';
import { isDisconnectError } from '../../../drivers/serial/serial-port-like.js';
import { nextEvent, record } from './helpers/events.js';

const openPort = (port: SimPort) => new Promise<Error | null>((resolve) => port.open(resolve));

describe('SimPort', () => {
  it('emits injected bytes as data only while open', async () => {
    const port = new SimPort('sim:badge');
    const data = record<Buffer>(port, 'data');
    expect(port.inject('x')).toBe(false);
    expect(await openPort(port)).toBeNull();
    expect(port.isOpen).toBe(true);
    expect(port.inject(Buffer.from([2, 3]))).toBe(true);
    expect(data).toEqual([Buffer.from([2, 3])]);
  });

  it('closes with a disconnected error when unplugged and refuses to open until plugged', async () => {
    const port = new SimPort('sim:badge');
    await openPort(port);
    const closed = nextEvent(port, 'close');
    port.unplug();
    const [err] = await closed;
    expect(isDisconnectError(err)).toBe(true);
    expect(port.isOpen).toBe(false);
    expect(await openPort(port)).toBeInstanceOf(Error);
    port.plug();
    expect(await openPort(port)).toBeNull();
  });

  it('closes cleanly, without an error, on close()', async () => {
    const port = new SimPort('sim:badge');
    await openPort(port);
    const closed = nextEvent(port, 'close');
    const err = await new Promise<Error | null>((resolve) => port.close(resolve));
    expect(err).toBeNull();
    expect(await closed).toEqual([null]);
  });

  it('refuses a second open and records what the host writes', async () => {
    const port = new SimPort('sim:badge');
    await openPort(port);
    expect(await openPort(port)).toBeInstanceOf(Error);
    port.write('hello');
    expect(Buffer.concat(port.written).toString()).toBe('hello');
  });
});

describe('SimPortRegistry', () => {
  it('hands the same port to the factory and to get()', () => {
    const registry = new SimPortRegistry();
    const fromFactory = registry.factory({ path: 'sim:badge', baudRate: 9600 });
    expect(registry.get('sim:badge')).toBe(fromFactory);
    expect(registry.get('sim:badge').baudRate).toBe(9600);
    expect(registry.get('sim:fobs')).not.toBe(fromFactory);
  });

  it('recognises sim: paths', () => {
    expect(isSimPath('sim:badge')).toBe(true);
    expect(isSimPath('/dev/ttyUSB0')).toBe(false);
  });
});
