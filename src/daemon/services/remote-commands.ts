import type { MqttLink } from '../../mqtt/mqtt-link.js';
import { CommandIntake } from '../../remote-commands/command-intake.js';
import type { Database } from '../../store/database.js';
import type { EventLog } from '../../store/event-log.js';
import type { CabinetRunner } from '../cabinet-runner.js';
import type { DaemonContext } from '../daemon-context.js';
import type { Service } from '../service.js';

/**
 * The central server's signed commands (src/remote-commands/), replied to over the broker link.
 * An input like the readers: it starts once the cabinet runs, and stops before the outputs go
 * off, so that no release arrives after them.
 */
export function remoteCommandsService(
  context: DaemonContext,
  options: {
    db: Database;
    eventLog: EventLog;
    runner: CabinetRunner;
    link: MqttLink;
    /** Events were recorded outside the runner: publish them. */
    recorded: () => void;
  },
): Service {
  const { link } = options;
  const intake = new CommandIntake({
    config: context.config,
    client: link.client,
    replyTopic: link.topics.reply,
    logger: context.logger.child({ module: 'commands' }),
    services: {
      db: options.db,
      log: options.eventLog,
      runner: options.runner,
      clock: context.clock,
      version: context.version,
      slotCount: context.profile.slotCount,
      outbox: link.publisher,
      retained: link.retained,
      inventoryTopic: link.topics.inventory,
    },
    recorded: options.recorded,
  });
  return {
    name: 'remote commands',
    start: () => link.subscribe(link.topics.commandWildcard, intake.onMessage),
    stop: () => intake.stop(),
  };
}
