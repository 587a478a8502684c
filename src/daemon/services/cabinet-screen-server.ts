import type { FastifyInstance } from 'fastify';
import { userId } from '../../../drivers/loopback-owner/loopback-owner.js';
import type { KeywardenConfig } from '../../config/config.js';
import type { ScreenFeed } from '../../domain/screen/screen-input.js';
import { KeywardenError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { createWebServer } from '../../web/create-web-server.js';
import { cabinetScreenRoutes } from '../../web/routes/cabinet-screen.js';
import type { Service } from '../service.js';
import { kioskAdmission } from './kiosk-admission.js';

/**
 * The cabinet screen served by the daemon itself on `screen.host`:`screen.port` (a loopback
 * address unless `screen.allowRemote`), for the kiosk browser on the Pi: only the screen's
 * page, view, stream and inputs; no sign-in, no console. Absent when `screen.port` is null.
 * With `screen.kioskUser`, only connections of that Unix user's processes are answered.
 */
export function cabinetScreenServerService(options: {
  config: KeywardenConfig;
  feed: ScreenFeed;
  logger: Logger;
}): Service<{ port: number } | null> {
  let app: FastifyInstance | undefined;
  return {
    name: 'cabinet screen server',
    async start() {
      const { screen } = options.config;
      if (screen.port === null) return null;
      const admit = kioskCheck(screen.kioskUser, options.logger);
      app = await createWebServer({
        logger: options.logger,
        // Nobody signs in here: every route of this server is public (the screen's own).
        authenticate: () => null,
        modules: [
          cabinetScreenRoutes(options.feed, {
            loopbackOnly: !screen.allowRemote,
            ...(admit ? { admit } : {}),
          }),
        ],
      });
      await app.listen({ host: screen.host, port: screen.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : screen.port;
      options.logger.info({ host: screen.host, port }, 'cabinet screen served at /cabinet');
      return { port };
    },
    async stop() {
      await app?.close();
    },
  };
}

/** Who may use the screen: the kiosk user's connections, or (unset) anyone, with a warning. */
function kioskCheck(kioskUser: string | undefined, logger: Logger) {
  if (kioskUser === undefined) {
    logger.warn(
      'screen.kioskUser is unset: any local user may open the cabinet screen, watch who is at the cabinet and type on its pad',
    );
    return undefined;
  }
  const kioskUid = userId(kioskUser);
  if (kioskUid === null) {
    throw new KeywardenError(
      'CONFIG_INVALID',
      `screen.kioskUser: no Unix user "${kioskUser}" on this machine`,
    );
  }
  logger.info({ kioskUser, kioskUid }, 'cabinet screen answers the kiosk user only');
  return kioskAdmission({ kioskUid, logger });
}
