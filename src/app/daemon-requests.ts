import { KeywardenError } from '../errors.js';
import { credentialFields } from '../store/custodian/credentials.js';
import { requireEnabledHolder } from '../store/custodian/holders.js';
import {
  awaitOutcome,
  completeRequest,
  insertRequest,
  pendingRequests,
  type ClearLockoutPayload,
  type Outcome,
  type RequestKind,
} from '../store/custodian/requests.js';
import { refuseWhenManagedCentrally, type ChangeScope } from '../store/custodian/scope.js';

/** The longest a caller may wait for the daemon: a request must not outlive the custodian. */
export const MAX_REQUEST_WAIT_MS = 600_000;

/**
 * A request handed to the running daemon (src/store/custodian/requests.ts). `outcome` settles
 * with the daemon's answer, or null when none came before it expired (it is then closed, so a
 * daemon started later never acts on it). `cancel` closes it at once: a caller that gives up
 * (Ctrl-C, a closed web page) must call it, or a card tapped later is enrolled in its name.
 */
export interface PendingRequest {
  outcome: Promise<Outcome | null>;
  cancel(): void;
}

/** What only the running daemon can do: it holds the lockouts in memory, and the reader. */
export class DaemonRequests {
  constructor(private readonly scope: ChangeScope) {}

  /** Enrol the next card tapped at the reader for this holder, in the actor's name. */
  enrolNextCard(holderId: number, waitMs: number): PendingRequest {
    // Checked here too, so a mistake is told at once rather than after the tap.
    refuseWhenManagedCentrally(this.scope.db);
    requireEnabledHolder(this.scope, holderId);
    // The next card tapped goes to the oldest wait: a second one armed beside it would see the
    // card its custodian taps enrolled to the first one's holder. One wait at a time.
    return this.send('enrol_card', { holderId }, waitMs, () => {
      const [armed] = pendingRequests(this.scope.db, 'enrol_card', new Date());
      if (armed) {
        throw new KeywardenError(
          'CONFLICT',
          `an enrolment by ${armed.actor.account} already waits for a card tapped at the cabinet: let it finish or end first; nothing was changed`,
        );
      }
    });
  }

  /** End a card's lockout, or the reader's, before its time; the daemon records lockout.cleared. */
  clearLockout(target: { credentialId: number } | 'reader', waitMs: number): PendingRequest {
    const payload: ClearLockoutPayload =
      target === 'reader'
        ? { subject: 'reader' }
        : {
            subject: 'credential',
            credentialId: target.credentialId,
            holderId: credentialFields(this.scope, target.credentialId).holderId,
          };
    return this.send('clear_lockout', payload, waitMs);
  }

  private send(
    kind: RequestKind,
    payload: Parameters<typeof insertRequest>[2],
    waitMs: number,
    /** Throws when the request may not be made now; run in the insert's own transaction. */
    check: () => void = () => undefined,
  ): PendingRequest {
    if (!Number.isInteger(waitMs) || waitMs < 1 || waitMs > MAX_REQUEST_WAIT_MS) {
      throw new KeywardenError('USAGE', 'the wait must be at most 600 seconds');
    }
    const { db, actor } = this.scope;
    // Immediate: another process checking at the same moment waits for this one's insert.
    const request = db
      .transaction(() => {
        check();
        return insertRequest(db, kind, payload, actor, new Date(), waitMs);
      })
      .immediate();
    return {
      outcome: awaitOutcome(db, request.id, request.expiresAt),
      cancel: () => completeRequest(db, request.id, { cancelled: true }, new Date()),
    };
  }
}
