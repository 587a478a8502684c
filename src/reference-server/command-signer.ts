import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signCommand, type CommandName, type SignedCommand } from '../contract/signed-command.js';

export interface CommandSignerOptions {
  privateKey: KeyObject;
  /** The id the cabinets know the matching public key by (config `commands.keys[].id`). */
  keyId: string;
  /** How long a command stays valid (its `expiresAt`); also its MQTT message expiry. */
  ttlMs?: number;
  /** Wall clock (ms since the epoch); a test may fix it. */
  now?: () => number;
}

/**
 * Signs commands. The counter is the wall clock in milliseconds since the epoch, one more than
 * the previous counter when two commands fall in the same millisecond or the clock steps back:
 * it keeps increasing across restarts with no state file to lose or corrupt. Two consequences,
 * documented in docs/mqtt.md: give each signer its own key id (a cabinet keeps one counter per
 * key id, so a server with small counters on the same key would be refused as out of order),
 * and a signer whose clock was set back between two runs is refused until it catches up.
 */
export class CommandSigner {
  readonly keyId: string;
  readonly ttlMs: number;
  private readonly privateKey: KeyObject;
  private readonly now: () => number;
  private lastCounter = 0;

  constructor(options: CommandSignerOptions) {
    if (options.privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error(
        `commands are signed with Ed25519, not ${options.privateKey.asymmetricKeyType}`,
      );
    }
    this.privateKey = options.privateKey;
    this.keyId = options.keyId;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  sign(cabinetId: string, name: CommandName, args: Record<string, unknown>): SignedCommand {
    const now = this.now();
    this.lastCounter = Math.max(now, this.lastCounter + 1);
    return signCommand(
      {
        id: randomUUID(),
        name,
        cabinetId,
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + this.ttlMs).toISOString(),
        keyId: this.keyId,
        counter: this.lastCounter,
        args,
      },
      this.privateKey,
    );
  }
}

/** Reads an Ed25519 private key (PEM, PKCS#8), as `keywarden keys generate` writes it. */
export function readPrivateKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not a readable private key: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${file}: an ${key.asymmetricKeyType} key; commands need Ed25519`);
  }
  return key;
}
