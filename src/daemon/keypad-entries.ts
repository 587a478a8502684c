import type { KeypadEntry } from '../../drivers/serial/keypad-line.js';
import type { Logger } from '../log/logger.js';
import type { Database } from '../store/database.js';
import { checkPin } from '../store/pin-hash.js';
import { pinHashesOf } from '../store/credential-pins.js';
import type { CabinetRunner } from './cabinet-runner.js';

/**
 * Keypad entries become flow inputs. A PIN is checked here, against the credential's slow
 * hashes, so the flow never sees a PIN and a step never waits on scrypt; the flow ignores an
 * outcome for a credential that is no longer the one waiting (another badge came meanwhile).
 */
export class KeypadEntries {
  constructor(
    private readonly db: Database,
    private readonly runner: CabinetRunner,
    private readonly logger: Logger,
  ) {}

  async enter(entry: KeypadEntry): Promise<void> {
    if (entry.kind === 'cancel') {
      this.runner.handle({ kind: 'entry_cancel' });
      return;
    }
    const pending = this.runner.current.pending;
    if (pending?.stage === 'reason_code') {
      this.runner.handle({ kind: 'reason_code', code: entry.digits });
      return;
    }
    if (pending?.stage !== 'pin') {
      this.logger.info('keypad entry while nothing is awaited: ignored');
      return;
    }
    const { credentialId } = pending;
    const hashes = pinHashesOf(this.db, credentialId);
    // The flow asked for a PIN only because one is set; removed meanwhile, it cannot match.
    const outcome = hashes ? await checkPin(entry.digits, hashes) : 'wrong';
    this.runner.handle({ kind: 'pin', credentialId, outcome });
  }
}
