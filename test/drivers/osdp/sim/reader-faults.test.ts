import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../../../drivers/osdp/frame-decoder.js';
import { readReply } from '../../../../drivers/osdp/read-frame.js';
import { DEFAULT_GARBAGE, SimulatedOsdpReader } from '../../../../drivers/osdp/sim/index.js';
import { hex, unhex } from '../helpers/hex.js';
import { TestControlPanel } from './helpers/control-panel.js';
import { FakeTimers } from '../../gpio/fake-timers.js';

const RND_A = unhex('b0 b1 b2 b3 b4 b5 b6 b7');

function setUp() {
  const clock = new FakeTimers();
  const reader = new SimulatedOsdpReader({ address: 4, clock });
  const cp = new TestControlPanel(reader, 4);
  cp.command({ kind: 'POLL' });
  return { clock, reader, cp };
}

describe('fault knobs, each seen on the wire', () => {
  it('dead: nothing at all; alive again, the command it never heard is answered', () => {
    const { cp, reader } = setUp();
    reader.faults.dead = true;
    const command = cp.frame({ kind: 'POLL' });
    expect(cp.send(command).bytes.length).toBe(0);
    reader.faults.dead = false;
    expect(cp.send(command).frames[0]?.code).toBe(0x40);
  });

  it('a reply delay: the reply leaves only when the time has passed', () => {
    const { cp, reader, clock } = setUp();
    reader.faults.replyDelayMs = 250;
    const from = cp.line.length;
    expect(cp.command({ kind: 'POLL' }).bytes.length).toBe(0);
    clock.advance(249);
    expect(cp.collect(from).bytes.length).toBe(0);
    clock.advance(1);
    expect(cp.collect(from).frames.map((f) => f.code)).toEqual([0x40]);
  });

  it('duplicated replies: the same frame twice', () => {
    const { cp, reader } = setUp();
    reader.faults.duplicateReplies = true;
    const sent = cp.command({ kind: 'POLL' });
    expect(sent.transmissions).toHaveLength(2);
    expect(hex(sent.transmissions[1] ?? Buffer.alloc(0))).toBe(
      hex(sent.transmissions[0] ?? Buffer.alloc(1)),
    );
  });

  it('a corrupt MAC: waits for a reply with a MAC, whose CRC still checks, and the session refuses it', () => {
    const { cp, reader } = setUp();
    reader.corruptNextMac();
    expect(cp.command({ kind: 'POLL' }).frames[0]?.code).toBe(0x40);
    const session = cp.establish('default', RND_A);
    const sent = cp.command({ kind: 'POLL' }, session);
    expect(sent.frames).toHaveLength(1);
    const read = readReply(sent.frames[0]!, session);
    expect(read.ok || read.error.code).toBe('BAD_MAC');
  });

  it('a replayed reply: one sent three exchanges before (the same sequence number), refused by the chain', () => {
    const { cp, reader } = setUp();
    const session = cp.establish('default', RND_A);
    // Each reply read before the next command: the chain moves on with every exchange.
    const earlier = [1, 2, 3].map(() => {
      const sent = cp.command({ kind: 'POLL' }, session);
      expect(readReply(sent.frames[0]!, session)).toEqual({ ok: true, value: { kind: 'ACK' } });
      return sent;
    });
    reader.replayOldReplyNext();
    const sequence = cp.sequence;
    const replayed = cp.command({ kind: 'POLL' }, session);
    expect(hex(replayed.bytes)).toBe(hex(earlier[0]!.bytes));
    expect(replayed.frames[0]?.sequence).toBe(sequence);
    const read = readReply(replayed.frames[0]!, session);
    expect(read.ok || read.error.code).toBe('BAD_MAC');
  });

  it('a reply from the wrong address, its CRC recomputed', () => {
    const { cp, reader } = setUp();
    reader.answerNextFromAddress(9);
    const sent = cp.command({ kind: 'POLL' });
    expect([sent.frames[0]?.address, sent.frames[0]?.reply, sent.frames[0]?.code]).toEqual([
      9,
      true,
      0x40,
    ]);
    expect(cp.command({ kind: 'POLL' }).frames[0]?.address).toBe(4);
  });

  it('garbage before the reply', () => {
    const { cp, reader } = setUp();
    reader.garbageBeforeNextReply();
    const sent = cp.command({ kind: 'POLL' });
    expect(hex(sent.bytes.subarray(0, DEFAULT_GARBAGE.length))).toBe(hex(DEFAULT_GARBAGE));
    const outputs = new FrameDecoder().push(sent.bytes);
    expect(outputs.map((o) => (o.kind === 'frame' ? o.frame.code : o.error.code))).toEqual([
      'GARBAGE',
      0x40,
    ]);
  });

  it('a dropped reply: silence, and the resend of the same command gets it', () => {
    const { cp, reader } = setUp();
    reader.presentCard({ format: 'H10301', facility: 12, card: 34567 });
    reader.dropNextReplies();
    const command = cp.frame({ kind: 'POLL' });
    expect(cp.send(command).bytes.length).toBe(0);
    expect(cp.send(command).frames[0]?.code).toBe(0x50);
  });

  it('power lost while a delayed reply waits: it never leaves', () => {
    const { cp, reader, clock } = setUp();
    reader.faults.replyDelayMs = 100;
    const from = cp.line.length;
    cp.command({ kind: 'POLL' });
    reader.powerOff();
    clock.advance(500);
    expect([cp.collect(from).bytes.length, clock.pendingCount]).toEqual([0, 0]);
  });
});
