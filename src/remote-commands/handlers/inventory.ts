import type { Accept, CommandServices, Execution } from '../command-services.js';

/** Publishes the retained inventory again, even unchanged (a server that lost its copy). */
export function runInventory(
  { server, retained, inventoryTopic }: CommandServices,
  accept: Accept,
): Execution {
  const recorded = server.acknowledge(accept);
  retained.invalidate(inventoryTopic);
  retained.refresh();
  return { recorded, outcome: { status: 'ok', result: { topic: inventoryTopic } } };
}
