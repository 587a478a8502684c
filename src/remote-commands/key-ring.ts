import { createPublicKey, type KeyObject } from 'node:crypto';
import type { KeywardenConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';

/**
 * The central server's public keys by key id, parsed once at start. A key that is not an
 * Ed25519 public key is left out with an error in the log rather than stopping the daemon: the
 * cabinet must keep serving badges, and commands signed with that key are refused as
 * `unknown_key`, which says what to fix.
 */
export function loadKeyRing(
  keys: KeywardenConfig['commands']['keys'],
  logger: Logger,
): ReadonlyMap<string, KeyObject> {
  const ring = new Map<string, KeyObject>();
  for (const { id, publicKey } of keys) {
    try {
      const key = createPublicKey(publicKey);
      if (key.asymmetricKeyType !== 'ed25519') {
        logger.error(
          { keyId: id, type: key.asymmetricKeyType },
          'command key is not Ed25519; ignored',
        );
        continue;
      }
      ring.set(id, key);
    } catch (err) {
      logger.error({ err, keyId: id }, 'command key is not a readable public key; ignored');
    }
  }
  if (ring.size === 0) logger.info('no command keys configured: every command will be refused');
  return ring;
}
