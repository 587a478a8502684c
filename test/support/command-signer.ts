import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import {
  signCommand,
  type CommandName,
  type SignedCommand,
  type UnsignedCommand,
} from '../../src/contract/signed-command.js';

/**
 * The central server's side of a command, for tests: a fresh Ed25519 key pair, a key id, and a
 * counter that increases with every command made. `overrides` bend any field before signing;
 * `unsigned` gives the command before signing, to tamper with.
 */
export class TestSigner {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  counter = 0;

  constructor(
    readonly keyId = 'central-1',
    private readonly cabinetId = 'test-cab',
  ) {
    const pair = generateKeyPairSync('ed25519');
    this.privateKey = pair.privateKey;
    this.publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** The config entry of `commands.keys` for this signer. */
  get configKey(): { id: string; publicKey: string } {
    return { id: this.keyId, publicKey: this.publicKeyPem };
  }

  unsigned(
    name: CommandName,
    args: Record<string, unknown> = {},
    overrides: Partial<UnsignedCommand> = {},
  ): UnsignedCommand {
    const now = Date.now();
    return {
      id: randomUUID(),
      name,
      cabinetId: this.cabinetId,
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 60_000).toISOString(),
      keyId: this.keyId,
      counter: ++this.counter,
      args,
      ...overrides,
    };
  }

  sign(
    name: CommandName,
    args: Record<string, unknown> = {},
    overrides: Partial<UnsignedCommand> = {},
  ): SignedCommand {
    return signCommand(this.unsigned(name, args, overrides), this.privateKey);
  }
}
