import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebModule } from '../../src/web/create-web-server.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';

/** Every API route of the console as the router has it, to find each one in the document. */
const apiRoutes: { method: string; url: string }[] = [];
const collector: WebModule = (app) => {
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (route.url.startsWith('/api/') && method !== 'HEAD')
        apiRoutes.push({ method, url: route.url });
    }
  });
};

interface Operation {
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

let server: ConsoleServer;
let document: Document;
beforeAll(async () => {
  server = await startConsoleServer({ listen: false, firstModules: [collector] });
  // Public: an integrator reads it before signing in.
  const answer = await server.app.inject({ url: '/api/openapi.json' });
  expect(answer.statusCode).toBe(200);
  document = answer.json<Document>();
});
afterAll(async () => {
  await server.close();
});

describe("the console's OpenAPI document", () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('has every API route of the server, with its method, and nothing that is not the API', () => {
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const expected = apiRoutes
      .filter((route) => route.url !== '/api/openapi.json')
      .map((route) => `${route.method} ${route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    expect(expected.length).toBeGreaterThan(5);
    expect(documented.sort()).toEqual([...new Set(expected)].sort());
  });

  it('says which calls need a session and which the CSRF header, and describes bodies and answers', () => {
    const signIn = document.paths['/api/session']?.post;
    expect(signIn?.security).toEqual([{ csrf: [] }]);
    expect(signIn?.requestBody).toBeDefined();
    expect(Object.keys(signIn?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '429']),
    );
    expect(document.paths['/api/accounts']?.get?.security).toEqual([{ session: [] }]);
    expect(document.paths['/api/accounts/{account}']?.patch?.security).toEqual([
      { session: [], csrf: [] },
    ]);
  });
});
