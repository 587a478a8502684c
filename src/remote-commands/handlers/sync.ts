import type { RecordedEvent } from '../../domain/events.js';
import { applyPermissionSync } from '../../store/permission-sync.js';
import type { Accept, CommandServices, Execution } from '../command-services.js';

/**
 * Applies a permission set or delta. The command is accepted (its counter advanced) whether or
 * not the set applies: a stale, mismatched or invalid set is the server's answer to fix, not a
 * command to send again unchanged. The set, its `permissions.synced` event and the acceptance
 * commit together; a refused set rolls back alone (a savepoint inside the command's
 * transaction) and the reply is `failed` with the reason and the problems.
 */
export function runSync(
  { db, log, clock, slotCount, retained }: CommandServices,
  commandId: string,
  payload: Record<string, unknown>,
  accept: Accept,
): Execution {
  let synced: RecordedEvent[] = [];
  const { accepted, result } = log.transaction(() => {
    const accepted = log.appendInTransaction([accept()]);
    const result = applyPermissionSync(db, payload, {
      slotCount,
      now: () => new Date(clock.wallMs()),
      inTransaction: ({ version, previousVersion, counts }) => {
        synced = log.appendInTransaction([
          { type: 'permissions.synced', data: { commandId, version, previousVersion, counts } },
        ]);
      },
    });
    return { accepted, result };
  });
  if (!result.ok) {
    const { reason, message, problems } = result;
    return {
      recorded: accepted,
      outcome: { status: 'failed', reason, message, ...(problems ? { problems } : {}) },
    };
  }
  retained.refresh(); // key labels and homes may have changed
  const { form, version, previousVersion, counts } = result;
  return {
    recorded: [...accepted, ...synced],
    outcome: { status: 'ok', result: { form, version, previousVersion, counts } },
  };
}
