import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { roleAllows } from '../../app/custodian-roles.js';
import type { Logger } from '../../log/logger.js';
import type { Authenticate } from '../access-control.js';
import type { ClientFor, WebUser } from '../web-context.js';

export interface LiveFeedOptions {
  clientFor: ClientFor;
  /** Who the request's session belongs to now: a stream whose session ended is closed. */
  authenticate: Authenticate;
  logger: Pick<Logger, 'warn'>;
  /** How often the log is read for all streams together. */
  intervalMs?: number;
  /** Streams open at once in this process, and per account: each holds a connection. */
  maxStreams?: number;
  maxPerAccount?: number;
  /** A comment line this often keeps proxies and browsers from closing a quiet stream. */
  keepAliveMs?: number;
  /** Called with the latest event's seq when the log has new events, before the streams hear. */
  onChange?: (seq: number) => void;
}

interface Stream {
  request: FastifyRequest;
  response: ServerResponse;
  account: string;
  user: WebUser;
  /** Told `ready`: from here on it hears every change (its page re-reads once then). */
  ready: boolean;
}

/** What a stream's page is told at each poll that found something: re-read what changed. */
export interface LiveChange {
  /** The latest event seen: the page's own reads are at least this fresh. */
  seq: number;
  /** The types of the events since the last message, each once. */
  types: string[];
}

/** The most events read per poll; a longer backlog is read on the next polls. */
const BATCH = 500;

/**
 * A page opens its stream, waits for `ready` (the feed has its place in the log), then reads
 * what it shows: nothing recorded after that read is missed.
 *
 * The live pages' one reader of the event log, per web server process: every ~500 ms, while at
 * least one stream is open, ONE `events.after` in the name of a signed-in stream's user, and a
 * `change` message to every stream naming the event types that came (the page re-reads what
 * they touch). A stream whose session has ended (signed out, expired) is closed at the next
 * poll; the number of streams is bounded, in all and per account, so pages cannot exhaust the
 * server's connections or the daemon's socket.
 */
/** What one stream may have waiting unread before it is closed. */
const MAX_BUFFERED_BYTES = 256 * 1024;

export class LiveFeed {
  private readonly streams = new Set<Stream>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private lastSeq: number | null = null;
  private lastKeepAlive = Date.now();
  private readonly intervalMs: number;
  private readonly maxStreams: number;
  private readonly maxPerAccount: number;
  private readonly keepAliveMs: number;

  constructor(private readonly options: LiveFeedOptions) {
    this.intervalMs = options.intervalMs ?? 500;
    this.maxStreams = options.maxStreams ?? 32;
    this.maxPerAccount = options.maxPerAccount ?? 4;
    this.keepAliveMs = options.keepAliveMs ?? 15_000;
  }

  get size(): number {
    return this.streams.size;
  }

  /** Why a new stream for `user` cannot open now, or null when it can. */
  refusal(user: WebUser): string | null {
    if (this.streams.size >= this.maxStreams) {
      return `too many live pages are open (${this.maxStreams}); close one and reload`;
    }
    const mine = [...this.streams].filter((s) => s.account === user.account).length;
    if (mine >= this.maxPerAccount) {
      return `${user.account} has ${mine} live pages open already; close one and reload`;
    }
    return null;
  }

  /** Takes over a response (already sent its headers) as a stream until it closes. */
  add(user: WebUser, request: FastifyRequest, response: ServerResponse): void {
    const stream: Stream = { request, response, account: user.account, user, ready: false };
    this.streams.add(stream);
    // The feed already follows the log: every later event reaches this stream.
    if (this.lastSeq !== null) this.markReady(stream);
    response.on('close', () => this.remove(stream));
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
  }

  /** Ends every stream (the server is closing). */
  closeAll(): void {
    for (const stream of [...this.streams]) this.end(stream);
    this.stop();
  }

  private remove(stream: Stream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0) this.stop();
  }

  private end(stream: Stream): void {
    this.remove(stream);
    stream.response.end();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // A later stream starts from the log's end then, not from an old position.
    this.lastSeq = null;
  }

  /** One poll: sessions first (a stream never hears anything after its session ended). */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.closeEndedSessions();
      const reader = [...this.streams][0];
      if (!reader) return;
      const client = this.options.clientFor(reader.user);
      if (this.lastSeq === null) {
        this.lastSeq = (await client.events.after(Number.MAX_SAFE_INTEGER, 1)).latestSeq;
      }
      for (const stream of this.streams) if (!stream.ready) this.markReady(stream);
      const { events } = await client.events.after(this.lastSeq, BATCH);
      const last = events.at(-1);
      if (last) {
        this.lastSeq = last.seq;
        this.options.onChange?.(last.seq);
        const change: LiveChange = {
          seq: last.seq,
          types: [...new Set(events.map((e) => e.type))],
        };
        this.broadcast(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
      } else if (Date.now() - this.lastKeepAlive >= this.keepAliveMs) {
        this.broadcast(': still here\n\n');
      }
    } catch (error) {
      // The daemon restarting: the pages keep their streams and are told when it answers again.
      this.options.logger.warn({ err: error }, 'the live feed could not read the event log');
      this.broadcast(`event: unavailable\ndata: {}\n\n`);
    } finally {
      this.polling = false;
    }
  }

  private async closeEndedSessions(): Promise<void> {
    for (const stream of [...this.streams]) {
      const now = await this.options.authenticate(stream.request);
      const same = now !== null && now.account === stream.account && roleAllows(now.role, 'viewer');
      if (!same) this.end(stream);
      else stream.user = now;
    }
  }

  private markReady(stream: Stream): void {
    stream.ready = true;
    stream.response.write('event: ready\ndata: {}\n\n');
  }

  private broadcast(text: string): void {
    this.lastKeepAlive = Date.now();
    for (const stream of [...this.streams]) {
      if (!stream.ready) continue;
      // A page that stops reading is let go rather than buffered for without end.
      if (stream.response.writableLength > MAX_BUFFERED_BYTES) this.end(stream);
      else stream.response.write(text);
    }
  }
}
