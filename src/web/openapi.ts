import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { packageVersion } from '../paths.js';
import type { WebModule } from './create-web-server.js';
import type { RouteAccess } from './web-context.js';

const NEEDS: Record<Exclude<RouteAccess, 'public'>, string> = {
  viewer: 'Needs a signed-in account (any role).',
  custodian: 'Needs the custodian or admin role.',
  admin: 'Needs the admin role.',
};

/**
 * The JSON API described as OpenAPI 3.1, generated from the routes' own schemas (so it cannot
 * drift from what the server checks), at `GET /api/openapi.json`. Only /api/ routes are in it:
 * the pages and their assets are not an API. Must come before the modules whose routes it
 * describes: it learns of each route as it is added.
 */
export function openApiModule(): WebModule {
  return async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Keywarden web console API',
          version: packageVersion(),
          description:
            'The JSON API the console uses, and integrators may. Sign in with POST /api/session; ' +
            'send the session cookie, and with every request other than GET or HEAD the ' +
            'x-csrf-token header from GET /api/session. Errors are {error, message}.',
        },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'kw_session' },
            csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
          },
        },
      },
      transform: ({ schema, url, route }) => {
        const described = schema as { description?: string; hide?: boolean } | undefined;
        const hide = described?.hide === true || !url.startsWith('/api/');
        const access = route.config?.access;
        const needs = access === undefined || access === 'public' ? undefined : NEEDS[access];
        const safe = [route.method].flat().every((m) => m === 'GET' || m === 'HEAD');
        const security = [
          ...(access !== undefined && access !== 'public' ? [{ session: [] }] : []),
          ...(safe ? [] : [{ csrf: [] }]),
        ];
        return {
          url,
          schema: {
            ...schema,
            hide,
            ...(needs === undefined
              ? {}
              : { description: [described?.description, needs].filter(Boolean).join(' ') }),
            // OpenAPI's "all of" is one object of several schemes.
            ...(security.length > 0
              ? { security: [Object.assign({}, ...security) as Record<string, string[]>] }
              : {}),
          },
        };
      },
    });
    app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () =>
      app.swagger(),
    );
  };
}
