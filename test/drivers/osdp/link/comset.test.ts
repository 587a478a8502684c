import { describe, expect, it } from 'vitest';
import { CommandCode } from '../../../../drivers/osdp/codes.js';
import { changeReaderComms } from '../../../../drivers/osdp/link/comset.js';
import { advanceUntil, bench } from './helpers/bench.js';
import { ScriptedReader } from './helpers/scripted-reader.js';

describe('OSDP bus: COMSET', () => {
  it('moves a reader to a new address: the reply comes from the old one, the bus then talks to the new one', async () => {
    const pd = new ScriptedReader({ address: 3 });
    const { bus, clock, wire, recorded } = bench(
      [{ address: 3, name: 'front', secure: 'off' }],
      [pd],
    );
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    const moved = changeReaderComms(bus, 3, { address: 5, baudRate: 38400 });
    clock.advance(100);
    expect(await moved).toEqual({ address: 5, baudRate: 38400 });
    expect(recorded.readdressed).toEqual([{ from: 3, to: 5, baudRate: 38400 }]);
    expect(pd.address).toBe(5);
    const comset = wire.findIndex((w) => w.frame.code === CommandCode.COMSET);
    expect(wire[comset]?.frame.address).toBe(3);
    // The conversation starts over at the new address, with ID and sequence 0.
    expect(wire[comset + 1]?.frame).toMatchObject({
      address: 5,
      code: CommandCode.ID,
      sequence: 0,
    });
    clock.advance(500);
    expect(bus.isOnline(5)).toBe(true);
    expect(bus.isOnline(3)).toBe(false);
    expect(wire.slice(comset + 1).every((w) => w.frame.address === 5)).toBe(true);
    expect(recorded.offline).toEqual([]);
    // Commands now go to the new address.
    const status = bus.send(5, { kind: 'LSTAT' });
    clock.advance(100);
    expect(await status).toEqual({ kind: 'LSTATR', tamper: false, powerFailure: false });
    bus.stop();
  });

  it('rejects when the reader refuses, and keeps talking to the old address', async () => {
    const pd = new ScriptedReader({ address: 3 });
    const { bus, clock, recorded } = bench([{ address: 3, name: 'front', secure: 'off' }], [pd]);
    bus.start();
    advanceUntil(clock, () => bus.isOnline(3), 'online');
    // A reader that does not do COMSET answers NAK (unknown command).
    pd.refuse.add('COMSET');
    const refusing = changeReaderComms(bus, 3, { address: 5, baudRate: 9600 });
    clock.advance(100);
    await expect(refusing).rejects.toMatchObject({ code: 'COMMAND_REFUSED' });
    expect(recorded.readdressed).toEqual([]);
    expect(bus.isOnline(3)).toBe(true);
    bus.stop();
  });
});
