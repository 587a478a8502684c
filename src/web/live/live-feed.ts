import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { roleAllows } from '../../app/custodian-roles.js';
import type { Logger } from '../../log/logger.js';
import type { Authenticate } from '../access-control.js';
import type { ClientFor, WebUser } from '../web-context.js';
import { OverviewSnapshots, type OverviewSnapshot } from './overview-snapshot.js';

export interface LiveFeedOptions {
  clientFor: ClientFor;
  /** Who the request's session belongs to now: a stream whose session ended is closed. */
  authenticate: Authenticate;
  logger: Pick<Logger, 'warn'>;
  /** How often the log's end is read for all streams together. */
  intervalMs?: number;
  /** Streams open at once in this process, and per account: each holds a connection. */
  maxStreams?: number;
  maxPerAccount?: number;
  /** A comment line this often keeps proxies and browsers from closing a quiet stream. */
  keepAliveMs?: number;
}

interface Stream {
  request: FastifyRequest;
  response: ServerResponse;
  account: string;
  user: WebUser;
  /** Told `ready` (with the overview): from here on it hears every change of it. */
  ready: boolean;
}

/** What one stream may have waiting unread before it is closed. */
const MAX_BUFFERED_BYTES = 256 * 1024;

/**
 * The live pages' one follower of the cabinet, per web server process. Every ~500 ms, while at
 * least one stream is open, it asks the daemon for the event log's latest seq only (one small
 * read: no event is read or sent); when that moved, it reads what the overview shows (the slot
 * map and the alarms in force, asked together) ONCE for every stream, and when that differs from
 * what the streams were last told, writes it to each of them as one `change` message, serialised
 * once (the same Buffer for every stream). The pages read nothing from the daemon at a change:
 * twenty open overviews cost the daemon what one does. A new stream is told `ready` with the
 * overview as last read, which holds everything up to the seq it names (read after that seq was
 * seen); anything later is announced by a later change, so no page ever shows less than it
 * asked for.
 *
 * What every viewer sees of the overview is the same, so it is read in the name of one of the
 * streams' signed-in users: sharing changes who asked the daemon, never who may see the answer.
 * A stream whose session has ended (signed out, expired, the account disabled) is closed at the
 * next poll, before anything more is written to it; the number of streams is bounded, in all
 * and per account, so pages cannot exhaust the server's connections.
 */
export class LiveFeed {
  private readonly streams = new Set<Stream>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private lastKeepAlive = Date.now();
  private readonly snapshots = new OverviewSnapshots();
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
    // The feed already follows the cabinet: this stream starts from what it last read.
    const latest = this.snapshots.latest;
    if (latest) this.markReady(stream, latest);
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
    // A later stream starts from a fresh read, not from an old one.
    this.snapshots.forget();
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
      const changed = await this.snapshots.follow(client);
      for (const stream of this.streams) {
        if (!stream.ready) this.markReady(stream, this.snapshots.latest as OverviewSnapshot);
      }
      if (changed) this.broadcast(changed.change);
      else if (Date.now() - this.lastKeepAlive >= this.keepAliveMs) {
        this.broadcast(KEEP_ALIVE);
      }
    } catch (error) {
      // The daemon restarting: the pages keep their streams and are told when it answers again.
      this.options.logger.warn({ err: error }, 'the live feed could not read the cabinet');
      this.broadcast(UNAVAILABLE);
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

  private markReady(stream: Stream, snapshot: OverviewSnapshot): void {
    stream.ready = true;
    stream.response.write(snapshot.ready);
  }

  private broadcast(message: Buffer): void {
    this.lastKeepAlive = Date.now();
    for (const stream of [...this.streams]) {
      if (!stream.ready) continue;
      // A page that stops reading is let go rather than buffered for without end.
      if (stream.response.writableLength > MAX_BUFFERED_BYTES) this.end(stream);
      else stream.response.write(message);
    }
  }
}

const KEEP_ALIVE = Buffer.from(': still here\n\n');
const UNAVAILABLE = Buffer.from('event: unavailable\ndata: {}\n\n');
