import type { Accept, CommandServices, Execution } from '../command-services.js';

/**
 * Applies a permission set or delta (CentralServerOperations.applySync: accepted whether or
 * not the set applies; a refused set rolls back alone). A refused set is replied `failed` with
 * the reason and the problems.
 */
export function runSync(
  { server, slotCount, retained }: CommandServices,
  commandId: string,
  payload: Record<string, unknown>,
  accept: Accept,
): Execution {
  const { recorded, result } = server.applySync(commandId, payload, slotCount, accept);
  if (!result.ok) {
    const { reason, message, problems } = result;
    return {
      recorded,
      outcome: { status: 'failed', reason, message, ...(problems ? { problems } : {}) },
    };
  }
  retained.refresh(); // key labels and homes may have changed
  const { form, version, previousVersion, counts } = result;
  return {
    recorded,
    outcome: { status: 'ok', result: { form, version, previousVersion, counts } },
  };
}
