import { EventEmitter } from 'node:events';
import type { Command } from '../../drivers/osdp/commands.js';
import type { OsdpBus, OsdpBusEvents, OsdpBusOptions } from '../../drivers/osdp/link/bus-api.js';
import type { Reply } from '../../drivers/osdp/replies.js';

/**
 * A stand-in for the OSDP bus (drivers/osdp/link/bus-api.ts) for what sits on top of it: the
 * test emits the bus's events and sees what was sent. `send` answers ACK while the reader is
 * online and rejects as the bus does when it is not; `hold()` keeps replies pending.
 */
export class FakeOsdpBus extends EventEmitter<OsdpBusEvents> implements OsdpBus {
  readonly sent: { address: number; command: Command }[] = [];
  readonly online = new Set<number>();
  started = false;
  portEvents: string[] = [];
  private held: (() => void)[] | undefined;
  /** The reply to a command while online; ACK unless a test says otherwise. */
  answer: (address: number, command: Command) => Reply = () => ({ kind: 'ACK' });

  constructor(readonly options?: OsdpBusOptions) {
    super();
  }

  start(): void {
    this.started = true;
  }
  stop(): void {
    this.started = false;
  }
  receive(): void {}
  portOffline(reason: string): void {
    this.portEvents.push(`offline: ${reason}`);
  }
  portOnline(): void {
    this.portEvents.push('online');
  }
  isOnline(address: number): boolean {
    return this.online.has(address);
  }

  send(address: number, command: Command): Promise<Reply> {
    this.sent.push({ address, command });
    if (!this.online.has(address)) return Promise.reject(new Error(`reader ${address} offline`));
    const reply = this.answer(address, command);
    if (this.held) {
      const held = this.held;
      return new Promise((resolve) => held.push(() => resolve(reply)));
    }
    return Promise.resolve(reply);
  }

  /** Replies wait until release(). */
  hold(): void {
    this.held = [];
  }
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const answer of held) answer();
  }

  /** The reader answers: online as the bus reports it. */
  bringOnline(address: number, secured = true): void {
    this.online.add(address);
    this.emit('online', { address, secured });
  }
  takeOffline(address: number, reason = 'no reply for 8 s'): void {
    this.online.delete(address);
    this.emit('offline', { address, reason });
  }
}
