import { isIP } from 'node:net';
import type { ServerResponse } from 'node:http';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RecordedEvent } from '../../domain/events.js';
import { allowedHostNames, refuseForeignRequest } from '../../sim/request-origin.js';
import { SimRefusal, type SimCabinet } from '../../sim/sim-cabinet.js';
import type { WebModule } from '../create-web-server.js';
import { CONTENT_SECURITY_POLICY } from '../security-headers.js';
import { servePage } from '../ui-assets.js';
import type {
  DemoBadge,
  SimEventView,
  SimKeyView,
  SimPageData,
  SimStateView,
} from '../ui/sim/sim-view.js';
import { simEventView, simStateView } from './sim-view-model.js';

export interface SimModuleOptions {
  sim: SimCabinet;
  /**
   * The address the web server listens on. The simulator can open the door and present any
   * card without signing in, so it is mounted only on a loopback address.
   */
  listenHost: string;
  demoBadges: readonly DemoBadge[];
  /** The registered keys now (a custodian may add one while the demo runs). */
  keys: () => readonly SimKeyView[];
  /** Calls back with each batch of events as the daemon records them; returns the unsubscribe. */
  onRecorded: (listener: (events: readonly RecordedEvent[]) => void) => () => void;
  /** Most pages open on the live stream at once (each holds a socket). */
  maxStreams?: number;
}

/** Enough for a few tabs and a test; a local program opening more only gets 503s. */
export const DEFAULT_MAX_SIM_STREAMS = 16;
/** Events the page shows when it opens. */
const EVENT_HISTORY = 20;

const Card = Type.String({ minLength: 1, maxLength: 32, pattern: '^[0-9A-Za-z]+$' });
const BadgeBody = Type.Object({ card: Card }, { additionalProperties: false });
const DoorBody = Type.Object(
  { action: Type.Union([Type.Literal('open'), Type.Literal('force'), Type.Literal('close')]) },
  { additionalProperties: false },
);
const SlotParams = Type.Object({ slot: Type.Integer({ minimum: 1, maximum: 999 }) });
const TakeBody = Type.Object(
  { force: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const InsertBody = Type.Object(
  { tag: Type.Optional(Type.String({ pattern: '^[0-9A-Fa-f]{4,32}$' })) },
  { additionalProperties: false },
);
const ReaderBody = Type.Object({ connected: Type.Boolean() }, { additionalProperties: false });
const KeypadBody = Type.Object(
  { keys: Type.String({ minLength: 1, maxLength: 20, pattern: '^(K?[0-9]{1,16}#|\\*)$' }) },
  { additionalProperties: false },
);

/**
 * The simulated cabinet in the browser (`/sim`, docs/simulator.md): the page, its state and live
 * stream, and the actions a person at the cabinet takes. Public, because it exists only in the
 * demo and only on a loopback address; and, as the simulator's own control interface, refused to
 * any request that does not name a loopback host or that carries a foreign Origin, so a web page
 * from elsewhere (or a DNS-rebound name) can neither drive it nor read its stream
 * (src/sim/request-origin.ts says why).
 */
export function simModule(options: SimModuleOptions): WebModule {
  if (!isLoopbackAddress(options.listenHost)) {
    throw new Error(
      `the simulator page is served only on a loopback address, not ${options.listenHost}`,
    );
  }
  return async (app) => {
    await app.register((scope, _opts, done) => {
      simRoutes(scope, options);
      done();
    });
  };
}

function simRoutes(app: FastifyInstance, options: SimModuleOptions): void {
  const { sim } = options;
  const hostNames = allowedHostNames(options.listenHost);
  const maxStreams = options.maxStreams ?? DEFAULT_MAX_SIM_STREAMS;
  const streams = new Set<ServerResponse>();
  const history: SimEventView[] = [];
  let forced = false;

  app.addHook('onRequest', async (request, reply) => {
    const refusal = foreignRequest(request, hostNames);
    if (refusal === undefined) return;
    request.log.warn({ url: request.url, reason: refusal.message }, 'simulator request refused');
    const error = refusal.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'FORBIDDEN';
    return reply.code(refusal.status).send({ error, message: refusal.message });
  });

  const view = (): SimStateView => {
    const state = simStateView(sim.snapshot(), options.keys(), forced);
    if (!state.door.open) forced = false;
    return state;
  };

  // Messages go out in order, after the change that caused them has finished: a badge switches
  // several outputs in one turn, and the page needs the cabinet as it is at the end, once. Doing
  // it later also keeps the stream's work off the badge's way to the solenoid.
  const queue: Array<{ kind: 'state' } | { kind: 'event'; event: SimEventView }> = [];
  let flushing = false;
  const flush = () => {
    flushing = false;
    for (const item of queue.splice(0)) {
      if (item.kind === 'state') broadcast('state', view());
      else broadcast('event', item.event);
    }
  };
  const enqueue = (item: (typeof queue)[number]) => {
    if (streams.size === 0) return;
    if (item.kind === 'state' && queue.at(-1)?.kind === 'state') return;
    queue.push(item);
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  };
  const broadcast = (name: string, data: unknown) => {
    for (const res of streams) writeSse(res, name, data);
  };

  const onChanged = () => {
    // The forced mark lasts while the door stays open; it must not outlive a close nobody watched.
    if (forced && !sim.snapshot().door.open) forced = false;
    enqueue({ kind: 'state' });
  };
  sim.on('changed', onChanged);
  const unsubscribe = options.onRecorded((events) => {
    for (const event of events) {
      if (event.type === 'door.forced') forced = true;
      const line = simEventView(event);
      history.push(line);
      if (history.length > EVENT_HISTORY) history.shift();
      enqueue({ kind: 'event', event: line });
    }
  });
  app.addHook('preClose', (done) => {
    sim.off('changed', onChanged);
    unsubscribe();
    for (const res of streams) res.end();
    streams.clear();
    done();
  });

  servePage(app, '/sim', { title: 'Keywarden simulator', bundle: 'sim' });

  app.get('/api/sim/state', { config: { access: 'public' } }, (): SimPageData => {
    return { demoBadges: [...options.demoBadges], state: view(), events: [...history] };
  });

  app.get('/api/sim/stream', { config: { access: 'public' } }, (_request, reply) => {
    if (streams.size >= maxStreams) {
      return reply
        .code(503)
        .send({ error: 'BUSY', message: `${maxStreams} simulator streams are open already` });
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // The headers every other answer gets from security-headers.ts, which a hijacked one skips.
      'x-content-type-options': 'nosniff',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cross-origin-resource-policy': 'same-origin',
    });
    streams.add(res);
    // The response's close, not the request's: a request closes as soon as it has been read.
    res.on('close', () => streams.delete(res));
    writeSse(res, 'state', view());
  });

  app.post<{ Body: Static<typeof BadgeBody> }>(
    '/api/sim/badge',
    { config: { access: 'public', ownOriginChecks: true }, schema: { body: BadgeBody } },
    (request, reply) => act(reply, () => sim.badge(request.body.card), view),
  );
  app.post<{ Body: Static<typeof DoorBody> }>(
    '/api/sim/door',
    { config: { access: 'public', ownOriginChecks: true }, schema: { body: DoorBody } },
    (request, reply) =>
      act(
        reply,
        () => {
          const { action } = request.body;
          if (action === 'close') sim.closeDoor();
          else sim.openDoor(action === 'force');
        },
        view,
      ),
  );
  app.post<{ Params: Static<typeof SlotParams>; Body: Static<typeof TakeBody> }>(
    '/api/sim/slots/:slot/take',
    {
      config: { access: 'public', ownOriginChecks: true },
      schema: { params: SlotParams, body: TakeBody },
    },
    (request, reply) =>
      act(reply, () => sim.take(request.params.slot, request.body.force === true), view),
  );
  app.post<{ Params: Static<typeof SlotParams>; Body: Static<typeof InsertBody> }>(
    '/api/sim/slots/:slot/insert',
    {
      config: { access: 'public', ownOriginChecks: true },
      schema: { params: SlotParams, body: InsertBody },
    },
    (request, reply) => act(reply, () => sim.insert(request.params.slot, request.body.tag), view),
  );
  // The simulated OSDP reader's cable: what a person at the cabinet could pull (a 409 when the
  // badge reader is not a simulated OSDP reader).
  app.post<{ Body: Static<typeof ReaderBody> }>(
    '/api/sim/reader',
    { config: { access: 'public', ownOriginChecks: true }, schema: { body: ReaderBody } },
    (request, reply) => act(reply, () => sim.setReaderConnected(request.body.connected), view),
  );
  app.post<{ Body: Static<typeof KeypadBody> }>(
    '/api/sim/keypad',
    { config: { access: 'public', ownOriginChecks: true }, schema: { body: KeypadBody } },
    (request, reply) => act(reply, () => sim.keypad(request.body.keys), view),
  );
}

/**
 * Carries out one physical action and answers the cabinet after it (the daemon has reacted to a
 * badge or a fob by then: the reader ports deliver in the same turn). What the physics refuses
 * is a 409 with the simulator's reason; a number a reader cannot carry, a 400.
 */
function act(reply: FastifyReply, action: () => unknown, view: () => SimStateView) {
  try {
    action();
  } catch (error) {
    if (error instanceof SimRefusal) {
      return reply.code(409).send({ error: 'CONFLICT', message: error.message });
    }
    if (error instanceof RangeError) {
      return reply.code(400).send({ error: 'USAGE', message: error.message });
    }
    throw error;
  }
  return reply.send(view());
}

/**
 * The simulator's own rules (request-origin.ts: a loopback Host, no foreign Origin, JSON POSTs),
 * and one more: the connection itself came to a loopback address, whatever the server was told.
 */
function foreignRequest(request: FastifyRequest, hostNames: ReadonlySet<string>) {
  const local = request.raw.socket.localAddress ?? '';
  if (!isLoopbackAddress(local)) {
    return { status: 403, message: `only loopback connections are served, not ${local}` };
  }
  return refuseForeignRequest(request.method, request.headers, hostNames);
}

/** 127.0.0.0/8, ::1 and the IPv4-mapped loopback (::ffff:127.x), or the name localhost. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  // The URL parser writes an IPv6 address in its one short form (0:0::01 is [::1]).
  return isIP(bare) === 6 && new URL(`http://[${bare}]/`).hostname === '[::1]';
}

function writeSse(res: ServerResponse, name: string, data: unknown): void {
  res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}
