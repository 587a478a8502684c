import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type {
  ScreenFeed,
  ScreenInput,
  ScreenInputOutcome,
} from '../../domain/screen/screen-input.js';
import type { ScreenView } from '../../domain/screen/screen-view.js';
import type { WebModule } from '../create-web-server.js';
import { CONTENT_SECURITY_POLICY } from '../security-headers.js';
import { servePage } from '../ui-assets.js';

/**
 * The cabinet screen (/cabinet): its page, its view as JSON and as a stream of Server-Sent
 * Events, and its inputs. Public, as the cabinet's own keypad is: it shows only the session in
 * progress and takes only what that session asks for (src/daemon/services/cabinet-screen.ts).
 */
export interface CabinetScreenRouteOptions {
  /**
   * Answer only requests addressed to a loopback name (Host 127.x, [::1], localhost): a web
   * page elsewhere that rebinds its own host name to 127.0.0.1 then reads and posts nothing.
   * Off only where the config allows the screen beyond the machine (screen.allowRemote).
   */
  loopbackOnly: boolean;
  /** Streams open at once; a new one beyond ends the oldest (a kiosk needs one). */
  maxStreams?: number;
  /**
   * Whether a connection may use the screen at all (the daemon's check that it is the kiosk
   * user's, screen.kioskUser); refused: 403, before any route. Unset: every connection may.
   */
  admit?: (socket: Socket) => boolean;
}

/** The kiosk needs one stream; a few more for a reload that overlaps the old page's. */
const MAX_STREAMS = 8;
/** A stream whose reader stops reading is closed before its buffer grows past this. */
const MAX_BUFFERED = 256 * 1024;
/** A comment now and then keeps proxies and the browser from dropping an idle stream. */
const KEEPALIVE_MS = 15_000;
/** The screen's inputs are tiny; anything bigger is not one. */
const INPUT_BODY_LIMIT = 1024;

/** One schema for every input, so a wrong field is named; what each kind needs is checked below. */
export const ScreenInputBody = Type.Object(
  {
    kind: Type.Union(
      ['digit', 'clear', 'submit', 'cancel', 'reason', 'pick'].map((k) => Type.Literal(k)),
    ),
    digit: Type.Optional(Type.String({ pattern: '^[0-9]$' })),
    code: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
    slots: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 64 }), { minItems: 1, maxItems: 64 }),
    ),
  },
  { additionalProperties: false },
);
type ScreenInputBody = Static<typeof ScreenInputBody>;

const STATUS: Record<ScreenInputOutcome, number> = {
  accepted: 200,
  not_awaited: 409,
  busy: 429,
  invalid: 400,
};

const MESSAGES: Record<ScreenInputOutcome, string> = {
  accepted: 'taken',
  not_awaited: 'nothing on the screen asks for that now',
  busy: 'too many inputs: wait a moment',
  invalid: 'not a digit, too many digits, or not a pick of slots',
};

export function cabinetScreenRoutes(
  feed: ScreenFeed,
  options: CabinetScreenRouteOptions,
): WebModule {
  return async (app) => {
    // Its own scope, so the Host check below covers the screen's routes and nobody else's.
    await app.register((scope, _options, done) => {
      if (options.loopbackOnly) scope.addHook('onRequest', refuseOtherHosts);
      const admit = options.admit;
      if (admit) {
        scope.addHook('onRequest', async (request, reply) => {
          if (admit(request.raw.socket)) return;
          await reply.code(403).send({
            error: 'FORBIDDEN',
            message: "the cabinet screen answers the kiosk's user only",
          });
        });
      }
      servePage(scope, '/cabinet', { title: 'Keywarden cabinet', bundle: 'cabinet' });
      scope.get('/api/cabinet/view', { config: { access: 'public' } }, async (_request, reply) =>
        reply.header('cache-control', 'no-store').send(feed.view()),
      );
      streamRoute(scope, feed, options.maxStreams ?? MAX_STREAMS);
      scope.post<{ Body: ScreenInputBody }>(
        '/api/cabinet/input',
        {
          config: { access: 'public', ownOriginChecks: true },
          bodyLimit: INPUT_BODY_LIMIT,
          schema: { body: ScreenInputBody },
        },
        async (request, reply) => {
          if (crossOrigin(request)) {
            return reply.code(403).send({
              error: 'FORBIDDEN',
              message: 'the cabinet screen takes input from itself only',
            });
          }
          const input = inputOf(request.body);
          if (typeof input === 'string') {
            return reply
              .code(400)
              .send({ error: 'USAGE', message: `${input}; nothing was changed` });
          }
          const outcome = await feed.input(input);
          if (outcome === 'accepted') return reply.send({ outcome });
          const error = outcome === 'busy' ? 'BUSY' : outcome === 'invalid' ? 'USAGE' : 'CONFLICT';
          return reply.code(STATUS[outcome]).send({ error, message: MESSAGES[outcome], outcome });
        },
      );
      done();
    });
  };
}

/** The body as the feed's input, or the field it lacks. */
function inputOf(body: ScreenInputBody): ScreenInput | string {
  switch (body.kind) {
    case 'digit':
      return body.digit === undefined
        ? 'body/digit is required for a digit'
        : { kind: 'digit', digit: body.digit };
    case 'reason':
      return body.code === undefined
        ? 'body/code is required for a reason'
        : { kind: 'reason', code: body.code };
    case 'pick':
      return body.slots === undefined
        ? 'body/slots is required for a pick'
        : { kind: 'pick', slots: body.slots };
    case 'clear':
    case 'submit':
    case 'cancel':
      return { kind: body.kind };
    default:
      return `body/kind is not an input of the screen`;
  }
}

function streamRoute(scope: FastifyInstance, feed: ScreenFeed, maxStreams: number): void {
  const open = new Set<() => void>();
  // Streams never end by themselves: the server's close ends them, or it would wait forever.
  scope.addHook('preClose', (done) => {
    for (const end of [...open]) end();
    done();
  });
  scope.get('/api/cabinet/stream', { config: { access: 'public' } }, (request, reply) => {
    // Full: the oldest stream ends, not the new one. The kiosk's page reconnects within
    // seconds, and a newly loaded page must not lose to streams left open by pages long gone
    // (or by whoever opened eight and sat on them, where screen.kioskUser does not keep others
    // out): a holder of old streams has to keep opening new ones to stay in.
    while (open.size >= maxStreams) {
      const oldest = open.values().next().value;
      if (oldest === undefined) break;
      oldest();
    }
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    });
    const send = (view: ScreenView) => {
      if (response.writableLength > MAX_BUFFERED) return end();
      response.write(`data: ${JSON.stringify(view)}\n\n`);
    };
    const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
    const unsubscribe = feed.onChange(send);
    const end = () => {
      if (!open.delete(end)) return;
      unsubscribe();
      clearInterval(keepalive);
      response.end();
    };
    open.add(end);
    request.raw.on('close', end);
    send(feed.view());
    return reply;
  });
}

/** A POST from a page of another origin (a browser says so in Origin): not the screen's own. */
function crossOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  return !URL.canParse(origin) || new URL(origin).host !== request.headers.host;
}

async function refuseOtherHosts(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const host = request.headers.host ?? '';
  const name = host.replace(/:\d+$/, '');
  const loopback = name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
  if (!loopback) {
    await reply.code(421).send({
      error: 'MISDIRECTED',
      message: 'the cabinet screen answers on its loopback address only',
    });
  }
}
