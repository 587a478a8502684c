/**
 * Live streams as browsers hold them, played by plain HTTP clients. To the server a browser's
 * EventSource is exactly this: one long GET with the session cookie, read as it comes. What the
 * overview page does is done here too: its first read as it opens (two GETs, the slots and the
 * alarms) beside the stream, and at each message the parse of the overview the message carries
 * (src/web/ui/console/pages/overview.tsx), so the console and the daemon work as much as for
 * twenty open overview pages.
 */

/** A signed-in console session: its cookie, as the browser sends it. */
export interface ConsoleSession {
  account: string;
  cookie: string;
}

/** Signs in as the console's page does: GET /api/session, then POST it with its token. */
export async function signIn(
  baseUrl: string,
  account: string,
  password: string,
): Promise<ConsoleSession> {
  const first = await fetch(new URL('/api/session', baseUrl));
  const anonymous = sessionCookie(first.headers);
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  const signedIn = await fetch(new URL('/api/session', baseUrl), {
    method: 'POST',
    headers: { cookie: anonymous, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ account, password }),
  });
  if (signedIn.status !== 200) {
    throw new Error(`sign-in of ${account}: ${signedIn.status} ${await signedIn.text()}`);
  }
  await signedIn.body?.cancel();
  return { account, cookie: sessionCookie(signedIn.headers) };
}

function sessionCookie(headers: Headers): string {
  const found = headers.getSetCookie().find((c) => c.startsWith('kw_session='));
  if (!found) throw new Error('no kw_session cookie in the answer');
  return found.split(';')[0] ?? '';
}

/** Counts shared by the streams of one phase, for the report. */
export interface StreamTally {
  /** Messages received (`ready`, `change`, screen views). */
  messages: number;
  /** Overviews received in `ready` and `change` messages (each parsed, as the page does). */
  views: number;
  /** Pages' own reads done (each two GETs), and those with an answer other than 200. */
  reads: number;
  failedReads: number;
}

export const emptyTally = (): StreamTally => ({ messages: 0, views: 0, reads: 0, failedReads: 0 });

/** One open stream; `close` aborts it as closing the tab would. */
export interface OpenStream {
  close(): void;
}

/**
 * The overview page's live stream (GET /api/live) and what the page does beside it: its own
 * first read, then the overview each message carries. Resolves once the server has said
 * `ready` (with the overview) and the first read is done, so the stream is counted as open only
 * when it is.
 */
export async function openConsoleStream(
  baseUrl: string,
  session: ConsoleSession,
  tally: StreamTally,
): Promise<OpenStream> {
  const abort = new AbortController();
  const headers = { cookie: session.cookie };
  // As the page does as it opens, before its stream is ready: the slots and alarms, together.
  const firstRead = async (): Promise<void> => {
    const answers = await Promise.all(
      ['/api/overview/slots', '/api/alarms'].map((path) =>
        fetch(new URL(path, baseUrl), { headers, signal: abort.signal }),
      ),
    );
    tally.reads += 1;
    for (const answer of answers) {
      if (answer.status !== 200) tally.failedReads += 1;
      await answer.json();
    }
  };
  const reading = firstRead();
  const response = await fetch(new URL('/api/live', baseUrl), { headers, signal: abort.signal });
  if (response.status !== 200 || !response.body) {
    abort.abort();
    throw new Error(`GET /api/live as ${session.account}: ${response.status}`);
  }
  let readied: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => (readied = resolve));
  void readEvents(response.body, (name, data) => {
    tally.messages += 1;
    if (name !== 'ready' && name !== 'change') return;
    // What the page shows: the overview in the message (a message without one fails the run).
    const view = JSON.parse(data) as { slots?: unknown; alarms?: unknown };
    if (Array.isArray(view.slots) && Array.isArray(view.alarms)) tally.views += 1;
    else tally.failedReads += 1;
    readied?.();
  });
  await Promise.all([ready, reading]);
  return { close: () => abort.abort() };
}

/**
 * A cabinet screen's stream on the daemon's screen port (GET /api/cabinet/stream, what the
 * kiosk's page holds): resolves once the first view has arrived.
 */
export async function openScreenStream(screenUrl: string, tally: StreamTally): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(new URL('/api/cabinet/stream', screenUrl), {
    signal: abort.signal,
  });
  if (response.status !== 200 || !response.body) {
    abort.abort();
    throw new Error(`GET /api/cabinet/stream: ${response.status}`);
  }
  let firstView: (() => void) | undefined;
  const viewed = new Promise<void>((resolve) => (firstView = resolve));
  void readEvents(response.body, () => {
    tally.messages += 1;
    firstView?.();
  });
  await viewed;
  return { close: () => abort.abort() };
}

/** Calls `onEvent` with each message's event name ("message" when it has none) until it ends. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (name: string, data: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        // Comments (keep-alives) and the retry line are not messages.
        if (!/^(data|event):/m.test(message)) continue;
        onEvent(
          /^event: (.*)$/m.exec(message)?.[1] ?? 'message',
          /^data: (.*)$/m.exec(message)?.[1] ?? '',
        );
      }
    }
  } catch {
    // Ended by close() or by the server.
  }
}
