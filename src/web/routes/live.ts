import { Type } from '@sinclair/typebox';
import type { WebModule } from '../create-web-server.js';
import { LiveFeed, type LiveFeedOptions } from '../live/live-feed.js';
import { CONTENT_SECURITY_POLICY } from '../security-headers.js';
import { signedIn } from '../signed-in.js';

/**
 * GET /api/live: a Server-Sent Events stream that keeps a console overview up to date without a
 * reload: `ready`, then `change` whenever what it shows changed, each carrying the slot map and
 * the alarms in force (`{seq, slots, alarms}`, live/overview-snapshot.ts). One follower of the
 * cabinet serves every stream of the process, one daemon read per change (live-feed.ts).
 */
export const liveModule =
  (options: Omit<LiveFeedOptions, 'logger'>): WebModule =>
  (app) => {
    const feed = new LiveFeed({ ...options, logger: app.log });
    app.addHook('onClose', (_instance, done) => {
      feed.closeAll();
      done();
    });
    app.get(
      '/api/live',
      {
        config: { access: 'viewer' },
        schema: {
          summary:
            'Server-Sent Events: "ready", then "change": {seq, slots, alarms} as they change',
          response: { 503: Type.Object({ error: Type.String(), message: Type.String() }) },
        },
      },
      async (request, reply) => {
        const user = signedIn(request);
        const refusal = feed.refusal(user);
        if (refusal !== null) return reply.code(503).send({ error: 'BUSY', message: refusal });
        // The stream is written by hand from here: the security headers too.
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cross-origin-resource-policy': 'same-origin',
        });
        reply.raw.write('retry: 3000\n\n');
        feed.add(user, request, reply.raw);
      },
    );
  };
