import type { CommandRejection } from '../domain/events.js';

/**
 * Why a command was refused, with whatever could be read of it: the reply and the
 * `command.rejected` event both carry this, so the server can match a refusal to its command.
 */
export interface Rejection {
  reason: CommandRejection;
  message: string;
  commandId: string | null;
  name: string | null;
  keyId: string | null;
}

/** What could be read of a command before it was refused. */
export interface Readable {
  commandId: string | null;
  name: string | null;
  keyId: string | null;
}

export const NOTHING_READABLE: Readable = { commandId: null, name: null, keyId: null };

export function rejection(
  reason: CommandRejection,
  message: string,
  readable: Readable,
): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { reason, message, ...readable } };
}
