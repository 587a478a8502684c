import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../paths.js';

/** Where `npm run build` puts the pages' bundles (src/web/build-ui.ts). */
export const uiAssetsDirectory = (): string => join(packageRoot(), 'dist', 'web', 'assets');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer | undefined;
}

/**
 * The built bundles, read once at start and served from memory under /assets/<name>. Only the
 * names found in the directory at start are served: a request names a file, never a path, so
 * `..`, encoded slashes and the like match nothing and are answered 404 without touching the
 * disk. A `.gz` twin written by the build is sent to a browser that accepts gzip.
 */
export function serveUiAssets(app: FastifyInstance, directory = uiAssetsDirectory()): void {
  const assets = new Map<string, Asset>();
  if (existsSync(directory)) {
    for (const name of readdirSync(directory)) {
      const type = TYPES[extname(name)];
      if (type === undefined) continue;
      const gz = join(directory, `${name}.gz`);
      assets.set(name, {
        type,
        body: readFileSync(join(directory, name)),
        gzipped: existsSync(gz) ? readFileSync(gz) : undefined,
      });
    }
  }
  app.get<{ Params: { name: string } }>(
    '/assets/:name',
    { config: { access: 'public' } },
    async (request, reply) => {
      const asset = assets.get(request.params.name);
      if (asset === undefined) {
        return reply.code(404).send({ error: 'NOT_FOUND', message: 'no such asset' });
      }
      reply.type(asset.type).header('cache-control', 'no-cache');
      const accepts = request.headers['accept-encoding'] ?? '';
      if (asset.gzipped && /\bgzip\b/.test(accepts)) {
        return reply
          .header('content-encoding', 'gzip')
          .header('vary', 'accept-encoding')
          .send(asset.gzipped);
      }
      return reply.send(asset.body);
    },
  );
}

/**
 * A page's HTML shell: no inline script or style (the Content-Security-Policy forbids both), the
 * page's bundle and stylesheet by name, and a <noscript> line for a browser without scripts.
 */
export function pageShell(page: { title: string; bundle: string; lang?: string }): string {
  const lang = page.lang ?? 'en';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/${page.bundle}.css">
<script type="module" src="/assets/${page.bundle}.js"></script>
</head>
<body>
<div id="app"></div>
<noscript>This page needs JavaScript.</noscript>
</body>
</html>
`;
}

/** Registers a public page shell at `path`: the data comes from the API, behind its own checks. */
export function servePage(
  app: FastifyInstance,
  path: string,
  page: { title: string; bundle: string },
): void {
  const html = pageShell(page);
  app.get(path, { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(html),
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
