import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KeywardenError } from '../../errors.js';
import { requireOption, type Command } from '../command.js';

/** The config's pattern for `commands.keys[].id` (src/config/config-schema.ts). */
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * `keywarden keys generate`: an Ed25519 key pair for signing commands. The private key stays
 * with whoever signs (the central server, `keywarden monitor`); each cabinet gets the public
 * key in its config under the same id. Files are never overwritten: replacing a signing key
 * is a rotation (list both ids in the cabinets' config until the old one is retired).
 */
export const keysGenerateCommand: Command = {
  path: ['keys', 'generate'],
  summary: 'create an Ed25519 key pair for signing commands, and print the cabinet config for it',
  usage: 'keys generate --out <dir> [--id <keyId>]',
  options: { out: { type: 'string' }, id: { type: 'string' } },
  run(args, io) {
    const dir = resolve(requireOption(args, 'out'));
    const id = typeof args.values.id === 'string' ? args.values.id : 'central-1';
    if (!KEY_ID.test(id)) {
      throw new KeywardenError(
        'USAGE',
        `--id must be 1-64 characters from A-Z a-z 0-9 _ . -, not "${id}"`,
      );
    }
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privateFile = join(dir, `${id}.key.pem`);
    const publicFile = join(dir, `${id}.pub.pem`);
    const existing = [privateFile, publicFile].filter((file) => existsSync(file));
    if (existing.length > 0) {
      throw new Error(`${existing.join(' and ')} exists already; choose another --id or --out`);
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // 'wx' as well: an existing key is never replaced, even by a race.
    writeFileSync(privateFile, privatePem, { mode: 0o600, flag: 'wx' });
    writeFileSync(publicFile, publicPem, { mode: 0o644, flag: 'wx' });
    const snippet = { commands: { keys: [{ id, publicKey: publicPem }] } };
    io.out(`private key: ${privateFile}  (only for the signer; never on a cabinet)`);
    io.out(`public key:  ${publicFile}`);
    io.out('');
    io.out("Merge into each cabinet's config (keep any keys already listed), then restart it:");
    io.out(JSON.stringify(snippet, null, 2));
    io.out('');
    io.out(
      `Sign commands with: keywarden monitor --signing-key ${privateFile} --key-id ${id} --url …`,
    );
  },
};
