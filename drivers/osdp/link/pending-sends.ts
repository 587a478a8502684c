import type { Command } from '../commands.js';
import { OsdpError, type OsdpErrorCode } from '../osdp-error.js';
import type { Reply } from '../replies.js';

/** One `send()` waiting for its turn on the bus, or for its reply. */
export interface PendingSend {
  command: Command;
  resolve(reply: Reply): void;
  reject(error: OsdpError): void;
}

/**
 * The commands callers asked to send to one reader, in the order asked. The bus takes the head
 * between polls; whatever is still here when the reader goes offline or the bus stops is
 * rejected, so a caller never waits on a reader nobody talks to.
 */
export class PendingSends {
  private readonly queue: PendingSend[] = [];

  get size(): number {
    return this.queue.length;
  }

  add(send: PendingSend): void {
    this.queue.push(send);
  }

  /** Back at the head: the reader said BUSY, so the command goes again before any other. */
  putBack(send: PendingSend): void {
    this.queue.unshift(send);
  }

  take(): PendingSend | undefined {
    return this.queue.shift();
  }

  rejectAll(code: OsdpErrorCode, message: string, address: number): void {
    for (const send of this.queue.splice(0)) {
      send.reject(new OsdpError(code, message, { address }));
    }
  }
}
