import type { Database } from 'better-sqlite3';
import { type LockoutBook, type RememberedLock, restoreLocks } from '../domain/lockout.js';
import { activeLockouts } from './custodian/lockouts.js';

/**
 * The lockouts the event log says were in force when the daemon stopped, as the flow's book
 * at start (src/domain/lockout.ts, `restoreLocks`). What is left of each is measured on the
 * wall clock, the only clock that spans a restart; from then on the flow counts it on the
 * monotonic one. The count of badges a restored lockout refused before the restart is not kept.
 */
export function loadLockouts(
  db: Database,
  clock: { wallMs(): number; monotonicMs(): number },
): LockoutBook {
  const wallMs = clock.wallMs();
  const remembered: RememberedLock[] = activeLockouts(db, new Date(wallMs)).map((lock) => ({
    subject:
      lock.subject === 'reader'
        ? { kind: 'reader' }
        : {
            kind: 'credential',
            credentialId: lock.credentialId ?? 0,
            ...(lock.holderId === undefined ? {} : { holderId: lock.holderId }),
          },
    level: lock.level,
    remainingMs: Date.parse(lock.until) - wallMs,
  }));
  return restoreLocks(remembered, clock.monotonicMs());
}
