import type { FastifyInstance } from 'fastify';
import type { KeywardenConfig } from '../../config/config.js';
import type { ScreenFeed } from '../../domain/screen/screen-input.js';
import type { Logger } from '../../log/logger.js';
import { createWebServer } from '../../web/create-web-server.js';
import { cabinetScreenRoutes } from '../../web/routes/cabinet-screen.js';
import type { Service } from '../service.js';

/**
 * The cabinet screen served by the daemon itself on `screen.host`:`screen.port` (a loopback
 * address unless `screen.allowRemote`), for the kiosk browser on the Pi: only the screen's
 * page, view, stream and inputs; no sign-in, no console. Absent when `screen.port` is null.
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
      app = await createWebServer({
        logger: options.logger,
        // Nobody signs in here: every route of this server is public (the screen's own).
        authenticate: () => null,
        modules: [cabinetScreenRoutes(options.feed, { loopbackOnly: !screen.allowRemote })],
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
