/**
 * The OSDP protocol core: pure (no port, no timer, no clock), byte-exact, and refusing bad input
 * with typed values rather than exceptions. docs/osdp.md describes the wire format and how the
 * link (the control panel's bus scheduler) is meant to use these parts.
 */
export * from './channel-handshake.js';
export * from './codes.js';
export * from './commands.js';
export * from './frame-decoder.js';
export * from './frame.js';
export * from './integrity.js';
export * from './osdp-error.js';
export * from './read-frame.js';
export * from './replies.js';
export * from './secure-channel.js';
export * from './secure-session.js';
export * from './wiegand.js';
