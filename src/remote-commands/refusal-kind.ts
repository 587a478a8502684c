import type { Rejection } from './rejection.js';

/** Reasons given only once the signature verified: the command came from a configured signer. */
const AFTER_SIGNATURE: ReadonlySet<Rejection['reason']> = new Set([
  'replayed',
  'out_of_order',
  'invalid_args',
]);

/**
 * Which refusals count as "the same kind from the same source" (docs/mqtt.md, "Floods"). MQTT
 * does not say who published a message, so the source is what the message claims, and only
 * where the claim is worth something:
 * - after the signature, the command is genuine: its reason and id, so every command the server
 *   sent leaves its own trace, and only the same command over and over (a captured command
 *   replayed) is summed up;
 * - before it, anybody could have sent it: its reason and its key id if that key is configured,
 *   else nothing. A made-up key id or command id therefore never opens a new kind, and the
 *   kinds stay at most the reasons times the configured keys.
 */
export function refusalKind(rejection: Rejection, configuredKeys: ReadonlySet<string>): string {
  const { reason, keyId, commandId } = rejection;
  if (AFTER_SIGNATURE.has(reason)) return `${reason}\u0000${keyId}\u0000${commandId}`;
  return `${reason}\u0000${keyId !== null && configuredKeys.has(keyId) ? keyId : ''}`;
}
