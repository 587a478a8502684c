import type { WebModule } from '../create-web-server.js';
import { servePage } from '../ui-assets.js';

/** The console's page at `/`: a shell; every piece of data comes from the API behind sign-in. */
export const consolePageModule: WebModule = (app) =>
  servePage(app, '/', { title: 'Keywarden console', bundle: 'console' });
