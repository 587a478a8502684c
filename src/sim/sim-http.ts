import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedEvent } from '../domain/events.js';
import type { Logger } from '../log/logger.js';
import { allowedHostNames, refuseForeignRequest } from './request-origin.js';
import { CONTACT_NAMES, SimCabinet, SimRefusal, type ContactName } from './sim-cabinet.js';

const MAX_BODY = 4096;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The simulated cabinet's local control interface (docs/simulator.md): JSON over HTTP on the
 * loopback address, plus a Server-Sent Events stream, so tests, the terminal and curl can act
 * on the cabinet and watch it from outside the daemon process. Not web pages: see
 * request-origin.ts for what is refused and why.
 */
export class SimHttpServer {
  private readonly server: Server;
  private readonly streams = new Set<ServerResponse>();
  private hostNames: ReadonlySet<string> = allowedHostNames('127.0.0.1');

  constructor(
    private readonly sim: SimCabinet,
    private readonly logger: Logger,
  ) {
    this.server = createServer((req, res) => void this.route(req, res));
    sim.on('changed', () => this.broadcast('state', sim.snapshot()));
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    this.hostNames = allowedHostNames(host);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.logger.info(
      { url: `http://${address.address}:${address.port}/` },
      'simulator control listening',
    );
    return address;
  }

  /** Forwards recorded events to the stream, so a watcher sees them as they are committed. */
  recorded(events: readonly RecordedEvent[]): void {
    for (const event of events) this.broadcast('event', event);
  }

  async close(): Promise<void> {
    for (const res of this.streams) res.end();
    this.streams.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sim');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const method = req.method ?? 'GET';
      const refusal = refuseForeignRequest(method, req.headers, this.hostNames);
      if (refusal) {
        this.logger.warn({ path, method, reason: refusal.message }, 'simulator request refused');
        return send(res, refusal.status, { error: refusal.message });
      }
      if (method === 'GET' && path === '/state') return send(res, 200, this.sim.snapshot());
      if (method === 'GET' && path === '/stream') return this.openStream(res);
      if (method !== 'POST') throw new HttpError(404, `no such resource: ${method} ${path}`);
      const body = await readJson(req);
      const slotMatch = /^\/slots\/(\d+)\/(take|insert)$/.exec(path);
      const inputMatch = /^\/inputs\/([A-Za-z]+)$/.exec(path);
      if (path === '/badge') {
        this.sim.badge(requireString(body, 'card'));
      } else if (path === '/keypad') {
        this.sim.keypad(requireString(body, 'keys'));
      } else if (path === '/door') {
        const action = requireString(body, 'action');
        if (action === 'open') this.sim.openDoor(false);
        else if (action === 'force') this.sim.openDoor(true);
        else if (action === 'close') this.sim.closeDoor();
        else throw new HttpError(400, 'action: must be "open", "force" or "close"');
      } else if (path === '/reader') {
        if (typeof body.connected !== 'boolean')
          throw new HttpError(400, 'connected: must be true or false');
        this.sim.setReaderConnected(body.connected);
      } else if (inputMatch) {
        const name = inputMatch[1] as ContactName;
        if (!CONTACT_NAMES.includes(name))
          throw new HttpError(404, `no such input: ${name} (tamper, powerFail or emergency)`);
        if (typeof body.active !== 'boolean')
          throw new HttpError(400, 'active: must be true or false');
        this.sim.setContact(name, body.active);
      } else if (slotMatch) {
        const slot = Number(slotMatch[1]);
        if (slotMatch[2] === 'take') this.sim.take(slot, body.force === true);
        else this.sim.insert(slot, optionalString(body, 'tag'));
      } else {
        throw new HttpError(404, `no such resource: POST ${path}`);
      }
      send(res, 200, this.sim.snapshot());
    } catch (error) {
      const status =
        error instanceof HttpError ? error.status : error instanceof SimRefusal ? 409 : 400;
      if (!(
        error instanceof HttpError ||
        error instanceof SimRefusal ||
        error instanceof RangeError
      )) {
        this.logger.warn({ err: error }, 'simulator request failed');
      }
      send(res, status, { error: (error as Error).message });
    }
  }

  private openStream(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
    writeSse(res, 'state', this.sim.snapshot());
  }

  private broadcast(name: string, data: unknown): void {
    for (const res of this.streams) writeSse(res, name, data);
  }
}

function writeSse(res: ServerResponse, name: string, data: unknown): void {
  res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `body is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.length === 0)
    throw new HttpError(400, `${key}: must be a non-empty string`);
  return value;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  return body[key] === undefined ? undefined : requireString(body, key);
}
