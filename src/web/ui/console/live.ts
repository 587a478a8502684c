import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `onView` with what the server's live stream (GET /api/live) carries: the overview as
 * the stream starts (`ready`), then again each time it changed (`change`), so the page reads
 * nothing itself to stay up to date. The browser reconnects a dropped stream by itself, and
 * the next `ready` brings the overview as it is then.
 */
export function useLive<T>(onView: (view: T) => void): void {
  const callback = useRef(onView);
  callback.current = onView;
  useEffect(() => {
    const source = new EventSource('/api/live');
    const take = (event: Event) =>
      callback.current(JSON.parse((event as MessageEvent<string>).data) as T);
    source.addEventListener('ready', take);
    source.addEventListener('change', take);
    return () => source.close();
  }, []);
}
