import type { WebModule } from '../create-web-server.js';
import type { Authenticate } from '../access-control.js';
import type { ClientFor } from '../web-context.js';
import { contractorsModule } from './contractors.js';
import { liveModule } from './live.js';
import { overviewModule } from './overview.js';
import { peopleModule } from './people.js';

/**
 * The console's overview (with its live stream), people and contractor API, as a server that
 * serves the console registers them: `authenticate` is the server's own, so a live stream
 * ends with its session.
 */
export function overviewAndPeopleModules(
  clientFor: ClientFor,
  authenticate: Authenticate,
): WebModule[] {
  return [
    overviewModule(clientFor),
    liveModule({ clientFor, authenticate }),
    peopleModule(clientFor),
    contractorsModule(clientFor),
  ];
}
