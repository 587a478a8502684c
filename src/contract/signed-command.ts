import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * A command from the central server (docs/mqtt.md, "Commands"). It is published to
 * `<prefix>/<cabinetId>/cmd/<name>` and signed with Ed25519 over the canonical JSON encoding of
 * every field but `signature`, so neither the arguments nor the cabinet, expiry or counter can
 * be changed in transit, and a command for one cabinet is useless at another.
 */
export const COMMAND_NAMES = [
  'ping',
  'replay',
  'sync',
  'release',
  'emergency_release',
  'emergency_release_end',
  'lockdown',
  'lockdown_end',
  'inventory',
  'reconcile',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

export interface UnsignedCommand {
  /** Unique id chosen by the server (a UUID); echoed in the reply and the events. */
  id: string;
  name: CommandName;
  cabinetId: string;
  /** ISO 8601 UTC. */
  issuedAt: string;
  /** ISO 8601 UTC; the cabinet refuses the command after this instant. */
  expiresAt: string;
  /** Which of the server's keys signed it (config `commands.keys[].id`). */
  keyId: string;
  /** Strictly increasing per keyId: a lower or equal counter is a replay or out of order. */
  counter: number;
  args: Record<string, unknown>;
}

export interface SignedCommand extends UnsignedCommand {
  /** Base64 Ed25519 signature over canonicalJson(the command without `signature`). */
  signature: string;
}

export function signingBytes(command: UnsignedCommand): Buffer {
  const { signature: _ignored, ...unsigned } = command as SignedCommand;
  return Buffer.from(canonicalJson(unsigned), 'utf8');
}

export function signCommand(
  command: UnsignedCommand,
  privateKey: KeyObject | string,
): SignedCommand {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return { ...command, signature: sign(null, signingBytes(command), key).toString('base64') };
}

export function verifyCommandSignature(
  command: SignedCommand,
  publicKey: KeyObject | string,
): boolean {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  try {
    return verify(null, signingBytes(command), key, Buffer.from(command.signature, 'base64'));
  } catch {
    return false;
  }
}
