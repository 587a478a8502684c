import type { Database } from 'better-sqlite3';
import type { RecordingClock } from '../domain/clock.js';
import type { LockoutSubject } from '../domain/lockout.js';
import type { Logger } from '../log/logger.js';
import { maskCard } from '../domain/mask-card.js';
import { CustodianApp } from '../app/custodian-app.js';
import {
  completeRequest,
  pendingRequests,
  requestWaiting,
  type ClearLockoutPayload,
  type EnrolPayload,
} from '../store/custodian/requests.js';
import type { EventLog } from '../store/event-log.js';
import type { CabinetRunner } from './cabinet-runner.js';

export interface CustodianRequestDeps {
  db: Database;
  log: EventLog;
  runner: CabinetRunner;
  clock: RecordingClock;
  logger: Logger;
  /** Events were recorded outside the runner: publish them. */
  recorded: () => void;
}

/** The request was closed (expired) between reading and acting: act on nothing. */
class RequestGone extends Error {}

/**
 * Carries out what the custodian's command line asks of the running daemon
 * (src/store/custodian/requests.ts): clearing a lockout, which lives in the cabinet flow's
 * memory, and enrolling the next card tapped at the reader.
 */
export class CustodianRequests {
  constructor(private readonly deps: CustodianRequestDeps) {}

  private now(): Date {
    return new Date(this.deps.clock.wallMs());
  }

  /** At each tick: lockouts to clear go to the flow's `clear_lockout` input, with the actor. */
  tick(): void {
    const { db, runner } = this.deps;
    for (const request of pendingRequests<ClearLockoutPayload>(db, 'clear_lockout', this.now())) {
      const subject: LockoutSubject =
        request.payload.subject === 'reader'
          ? { kind: 'reader' }
          : { kind: 'credential', credentialId: request.payload.credentialId ?? 0 };
      const before = runner.current.lockouts;
      // The outcome commits in the step's own transaction, with the lockout.cleared it records.
      runner.handle({ kind: 'clear_lockout', actor: request.actor, subject }, (next) => {
        completeRequest(db, request.id, { cleared: next.lockouts !== before }, this.now());
        return [];
      });
    }
  }

  /** Whether an enrolment waits for the next card tapped (asked at every badge). */
  enrolmentWaiting(): boolean {
    return requestWaiting(this.deps.db, 'enrol_card', this.now());
  }

  /**
   * A badge while an enrolment is pending does not ask for access: it enrols the card for the
   * requested holder, in the custodian's name. True when the badge was taken for that.
   */
  takeBadge(card: string): boolean {
    const { db, log, logger } = this.deps;
    const [request] = pendingRequests<EnrolPayload>(db, 'enrol_card', this.now());
    if (!request) return false;
    try {
      const credentialId = db
        .transaction(() => {
          // The same operation as `credential add`, in the name of the custodian who asked.
          const app = CustodianApp.open(db, log, request.actor, () => this.now());
          const id = app.credentials.add(request.payload.holderId, card);
          const outcome = { credentialId: id, card: maskCard(card.trim().toUpperCase()) };
          if (!completeRequest(db, request.id, outcome, this.now())) throw new RequestGone();
          return id;
        })
        .immediate();
      logger.info({ credentialId, holderId: request.payload.holderId }, 'card enrolled');
      this.deps.recorded();
    } catch (err) {
      if (err instanceof RequestGone) return false;
      // The card was tapped for enrolment, so it is not decided either way: the custodian reads
      // why it failed (already enrolled, holder gone, managed centrally) and tries again.
      completeRequest(db, request.id, { error: (err as Error).message }, this.now());
      logger.warn({ err: (err as Error).message }, 'card enrolment refused');
    }
    return true;
  }
}
