import type { ScreenInput, ScreenView } from './screen-view.js';

/** How long the page waits before asking again for a stream the daemon refused or closed. */
const RETRY_MS = 3_000;

/**
 * The page's one way to the daemon: the view as a stream of Server-Sent Events, and each tap
 * posted as an input. The browser reconnects a dropped stream by itself; a refused one (the
 * daemon restarting, a user not the kiosk's) it gives up on, so the page asks again a little later.
 */
export function watchView(onView: (view: ScreenView) => void, onLost: () => void): () => void {
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = () => {
    source = new EventSource('/api/cabinet/stream');
    source.onmessage = (message: MessageEvent<string>) =>
      onView(JSON.parse(message.data) as ScreenView);
    source.onerror = () => {
      onLost();
      if (source?.readyState === EventSource.CLOSED) retry = setTimeout(open, RETRY_MS);
    };
  };
  open();
  return () => {
    clearTimeout(retry);
    source?.close();
  };
}

export async function send(input: ScreenInput): Promise<void> {
  // A refusal (not awaited now, too fast) shows in the next view, not here.
  await fetch('/api/cabinet/input', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
}
