import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { createWebServer, type WebModule } from '../../src/web/create-web-server.js';
import { servePage } from '../../src/web/ui-assets.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

const probeRoutes: WebModule = (app) => {
  app.get('/api/probe/viewer', { config: { access: 'viewer' } }, (request) => ({
    who: request.webUser?.account,
  }));
  app.post('/api/probe/admin', { config: { access: 'admin' } }, () => ({ done: true }));
  app.post(
    '/api/probe/body',
    {
      config: { access: 'viewer' },
      schema: { body: Type.Object({ name: Type.String() }, { additionalProperties: false }) },
    },
    () => ({ ok: true }),
  );
  servePage(app, '/', { title: 'Keywarden', bundle: 'console' });
};

let harness: WebHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('the web server', () => {
  it('refuses to start with a route that does not say who may call it', async () => {
    const forgotten: WebModule = (app) => {
      app.get('/api/forgotten', () => 'open to all');
    };
    await expect(
      createWebServer({
        logger: createLogger({ level: 'silent', pretty: false }),
        authenticate: () => null,
        modules: [forgotten],
      }),
    ).rejects.toThrow(/GET \/api\/forgotten declares no config.access/);
  });

  it('answers 401 to nobody, 403 to a role too low, and runs the route for enough of one', async () => {
    harness = await startWebHarness({ modules: () => [probeRoutes], user: null });
    const viewer = `${harness.url}/api/probe/viewer`;
    expect((await fetch(viewer)).status).toBe(401);
    harness.signIn({ account: 'vic', role: 'viewer' });
    expect(await (await fetch(viewer)).json()).toEqual({ who: 'vic' });
    const admin = await fetch(`${harness.url}/api/probe/admin`, { method: 'POST' });
    expect(admin.status).toBe(403);
    expect(await admin.json()).toMatchObject({ error: 'FORBIDDEN' });
    harness.signIn({ account: 'ada', role: 'admin' });
    expect((await fetch(`${harness.url}/api/probe/admin`, { method: 'POST' })).status).toBe(200);
  });

  it('names the field a request body gets wrong, and answers an unknown path as JSON 404', async () => {
    harness = await startWebHarness({ modules: () => [probeRoutes] });
    const bad = await fetch(`${harness.url}/api/probe/body`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 7 }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'USAGE',
      message: 'body/name must be string; nothing was changed',
    });
    const missing = await fetch(`${harness.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'NOT_FOUND' });
  });

  it('refuses a body larger than the limit before reading it whole', async () => {
    harness = await startWebHarness({ modules: () => [probeRoutes] });
    const big = await fetch(`${harness.url}/api/probe/body`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
  });

  it('serves the built bundles by name only, gzipped when asked, and no path outside them', async () => {
    harness = await startWebHarness({ modules: () => [probeRoutes] });
    const plain = await fetch(`${harness.url}/assets/console.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(plain.headers.get('content-encoding')).toBeNull();
    const zipped = await harness.app.inject({
      url: '/assets/console.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    for (const trick of [
      '/assets/..%2Fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/console.js.gz',
      '/assets/%00console.js',
    ]) {
      const answer = await harness.app.inject({ url: trick });
      expect(answer.statusCode, trick).toBe(404);
    }
  });

  it('sends the security headers on every answer, a refusal included', async () => {
    harness = await startWebHarness({ modules: () => [probeRoutes], user: null });
    for (const path of ['/', '/api/probe/viewer', '/nowhere', '/assets/console.css']) {
      const answer = await fetch(`${harness.url}${path}`);
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(answer.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });
});
