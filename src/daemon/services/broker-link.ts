import { MqttLink } from '../../mqtt/mqtt-link.js';
import type { EventLog } from '../../store/event-log.js';
import type { DaemonContext } from '../daemon-context.js';
import type { Service } from '../service.js';

/**
 * The connection to the broker, opened once the event log can be read. Its stop (bounded in
 * mqtt-link.ts) sends what waits, then the offline status: it comes after the cabinet has
 * recorded `cabinet.stopped`, and before the database closes.
 */
export function brokerLinkService(context: DaemonContext, eventLog: EventLog): Service<MqttLink> {
  let link: MqttLink | undefined;
  return {
    name: 'broker link',
    start() {
      const { config, clock, version, logger } = context;
      link = new MqttLink(config, eventLog, logger.child({ module: 'mqtt' }), {
        version,
        startedAt: new Date(clock.wallMs()).toISOString(),
      });
      return link;
    },
    async stop() {
      await link?.stop();
    },
  };
}
