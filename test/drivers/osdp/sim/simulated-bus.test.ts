import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../../../../drivers/osdp/commands.js';
import { encodeFrame, type Frame } from '../../../../drivers/osdp/frame.js';
import { FrameDecoder } from '../../../../drivers/osdp/frame-decoder.js';
import {
  osdpLinkPortFactory,
  SimulatedOsdpBus,
  SimulatedOsdpReader,
} from '../../../../drivers/osdp/sim/index.js';
import {
  isDisconnectError,
  type PortFactory,
} from '../../../../drivers/serial/serial-port-like.js';
import { waitFor } from '../../../support/wait-for.js';
import { TestControlPanel } from './helpers/control-panel.js';
import { FakeTimers } from '../../gpio/fake-timers.js';

function twoReaders() {
  const clock = new FakeTimers();
  const front = new SimulatedOsdpReader({ address: 1, clock });
  const back = new SimulatedOsdpReader({ address: 2, clock });
  const bus = new SimulatedOsdpBus([front, back]);
  return { clock, front, back, bus };
}

const poll = (address: number, sequence: 0 | 1 | 2 | 3 = 0) =>
  encodeFrame({
    address,
    reply: false,
    sequence,
    integrity: 'crc',
    ...encodeCommand({ kind: 'POLL' }),
  });

describe('several simulated readers on one line', () => {
  it('every frame reaches every reader; only the addressed one answers', () => {
    const { bus, front, back } = twoReaders();
    const cp = new TestControlPanel(bus, 1);
    front.presentCard({ format: 'H10301', facility: 1, card: 1 });
    back.presentCard({ format: 'H10301', facility: 2, card: 2 });
    const toFront = cp.send(poll(1));
    expect(toFront.frames.map((f) => [f.address, f.code])).toEqual([[1, 0x50]]);
    expect([front.pendingEvents, back.pendingEvents]).toEqual([0, 1]);
    const toBack = cp.send(poll(2));
    expect(toBack.frames.map((f) => [f.address, f.code])).toEqual([[2, 0x50]]);
    expect(cp.send(poll(3)).bytes.length).toBe(0);
  });

  it('one dead reader does not silence the other', () => {
    const { bus, front } = twoReaders();
    const cp = new TestControlPanel(bus, 1);
    front.faults.dead = true;
    expect(cp.send(poll(1)).bytes.length).toBe(0);
    expect(cp.send(poll(2)).frames.map((f) => f.address)).toEqual([2]);
  });

  it('a reply on the line is heard by the other reader, and ignored', () => {
    const { bus, back } = twoReaders();
    const cp = new TestControlPanel(bus, 1);
    const heard: Buffer[] = [];
    back.on('transmit', (bytes) => heard.push(bytes));
    cp.send(poll(1));
    expect(heard).toEqual([]);
    expect(cp.send(poll(2)).frames.map((f) => f.code)).toEqual([0x40]);
  });

  it('a broadcast is answered by every reader, from 0x7F: a collision, as the specification warns', () => {
    const { bus } = twoReaders();
    const cp = new TestControlPanel(bus, 0x7f);
    const sent = cp.send(poll(0x7f));
    expect(sent.transmissions.map((t) => t[2])).toEqual([0xff, 0xff]);
  });

  it('after COMSET to another speed, a reader hears only that speed', () => {
    const { bus, front } = twoReaders();
    const cp = new TestControlPanel(bus, 1);
    const changes: { address: number; baudRate: number }[] = [];
    bus.on('comset', ({ address, baudRate }) => changes.push({ address, baudRate }));
    cp.command({ kind: 'POLL' });
    cp.command({ kind: 'COMSET', address: 1, baudRate: 38400 });
    expect(changes).toEqual([{ address: 1, baudRate: 38400 }]);
    const frames: Frame[] = [];
    bus.on('transmit', (bytes) => {
      for (const o of new FrameDecoder().push(bytes)) if (o.kind === 'frame') frames.push(o.frame);
    });
    bus.receive(poll(1), 9600);
    expect(frames).toEqual([]);
    bus.receive(poll(1), 38400);
    expect(frames.map((f) => [f.address, f.code])).toEqual([[1, 0x40]]);
    expect(front.baudRate).toBe(38400);
  });

  it('a reader taken off the line hears nothing', () => {
    const { bus, front } = twoReaders();
    const cp = new TestControlPanel(bus, 1);
    bus.remove(front);
    expect(cp.send(poll(1)).bytes.length).toBe(0);
    expect(bus.readers).toHaveLength(1);
  });
});

describe('the in-process link port', () => {
  it('is a serial port: data arrives after the write, not inside it, and only while open', async () => {
    const { bus } = twoReaders();
    const factory = osdpLinkPortFactory(bus);
    const port = factory({ path: 'sim:osdp', baudRate: 9600 });
    const asPortFactory: PortFactory = factory;
    expect(asPortFactory({ path: 'sim:osdp', baudRate: 9600 })).toBe(port);
    const received: Buffer[] = [];
    port.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve())),
    );
    port.write(poll(2));
    expect(received).toEqual([]);
    await waitFor(() => received.length > 0, 'the reply through the link port');
    const frames = new FrameDecoder().push(Buffer.concat(received));
    expect(
      frames.map((o) => (o.kind === 'frame' ? [o.frame.address, o.frame.code] : o.error.code)),
    ).toEqual([[2, 0x40]]);
    port.dispose();
  });

  it('reaches the readers at the speed it was opened with', async () => {
    const { bus } = twoReaders();
    const factory = osdpLinkPortFactory(bus);
    const port = factory({ path: 'sim:osdp', baudRate: 19200 });
    const heard: Buffer[] = [];
    bus.on('transmit', (bytes) => heard.push(bytes));
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve())),
    );
    const written = new Promise<void>((resolve) => port.write(poll(1), () => resolve()));
    await written;
    // The first frame went out at 19200, where no reader listens; reopened at 9600, reader 2 answers.
    factory({ path: 'sim:osdp', baudRate: 9600 });
    port.write(poll(2));
    await waitFor(() => heard.length > 0, 'the reply at the right speed');
    expect(heard.map((b) => b[2])).toEqual([0x82]);
    port.dispose();
  });

  it('unplugged: closes with a disconnected error, and will not open until plugged', async () => {
    const { bus } = twoReaders();
    const port = osdpLinkPortFactory(bus)({ path: 'sim:osdp', baudRate: 9600 });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve())),
    );
    const closed = new Promise<unknown>((resolve) => port.once('close', resolve));
    port.unplug();
    expect(isDisconnectError(await closed)).toBe(true);
    const refused = await new Promise<Error | null>((resolve) => port.open(resolve));
    expect(refused?.message).toMatch(/no such device/);
    port.plug();
    const opened = await new Promise<Error | null>((resolve) => port.open(resolve));
    expect(opened).toBeNull();
    port.dispose();
  });
});
