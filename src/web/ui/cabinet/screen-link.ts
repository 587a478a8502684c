import type { ScreenInput, ScreenView } from './screen-view.js';

/**
 * The page's one way to the daemon: the view as a stream of Server-Sent Events (the browser
 * reconnects by itself after a restart), and each tap posted as an input.
 */
export function watchView(onView: (view: ScreenView) => void, onLost: () => void): () => void {
  const source = new EventSource('/api/cabinet/stream');
  source.onmessage = (message: MessageEvent<string>) =>
    onView(JSON.parse(message.data) as ScreenView);
  source.onerror = () => onLost();
  return () => source.close();
}

export async function send(input: ScreenInput): Promise<void> {
  // A refusal (not awaited now, too fast) shows in the next view, not here.
  await fetch('/api/cabinet/input', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
}
