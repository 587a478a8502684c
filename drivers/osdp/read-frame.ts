import { commandName, replyName } from './codes.js';
import { decodeCommand, type Command } from './commands.js';
import type { Frame } from './frame.js';
import { hex2, OsdpError, refused, type Checked } from './osdp-error.js';
import { decodeReply, type Reply } from './replies.js';
import type { SecureSession } from './secure-session.js';

/**
 * The one way from a received frame to a command or reply, so that a secured frame is never
 * parsed before its MAC is checked: with a session, the frame must open (secure-session.ts);
 * without one, a frame with a security block is refused, since nothing here can check it. The
 * handshake's own frames (security blocks 0x11-0x14) are read by channel-handshake.ts instead.
 */
export function readReply(frame: Frame, session?: SecureSession): Checked<Reply> {
  if (!frame.reply) return refused(wrongDirection(frame, 'a reply'));
  const body = openWith(frame, session);
  return body.ok ? decodeReply(body.value.code, body.value.data) : body;
}

/** The reader side of {@link readReply} (the PD simulator). */
export function readCommand(frame: Frame, session?: SecureSession): Checked<Command> {
  if (frame.reply) return refused(wrongDirection(frame, 'a command'));
  const body = openWith(frame, session);
  return body.ok ? decodeCommand(body.value.code, body.value.data) : body;
}

function openWith(
  frame: Frame,
  session: SecureSession | undefined,
): Checked<{ code: number; data: Uint8Array }> {
  if (session !== undefined) return session.open(frame);
  if (frame.security !== undefined) {
    return refused(
      new OsdpError(
        'WRONG_SECURITY_BLOCK',
        `${describe(frame)} carries security block ${hex2(frame.security.type)} outside a secure session`,
        { address: frame.address, code: frame.code },
      ),
    );
  }
  return { ok: true, value: { code: frame.code, data: frame.data } };
}

function wrongDirection(frame: Frame, expected: string): OsdpError {
  return new OsdpError('WRONG_SECURITY_BLOCK', `${describe(frame)} is not ${expected}`, {
    address: frame.address,
    code: frame.code,
  });
}

function describe(frame: Frame): string {
  const name = (frame.reply ? replyName(frame.code) : commandName(frame.code)) ?? hex2(frame.code);
  return `${frame.reply ? 'reply' : 'command'} ${name} from address ${frame.address}`;
}
