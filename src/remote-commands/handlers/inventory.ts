import type { Accept, CommandServices, Execution } from '../command-services.js';

/** Publishes the retained inventory again, even unchanged (a server that lost its copy). */
export function runInventory(
  { log, retained, inventoryTopic }: CommandServices,
  accept: Accept,
): Execution {
  const recorded = log.transaction(() => log.appendInTransaction([accept()]));
  retained.invalidate(inventoryTopic);
  retained.refresh();
  return { recorded, outcome: { status: 'ok', result: { topic: inventoryTopic } } };
}
