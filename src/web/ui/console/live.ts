import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `onChange` when the server's live stream (GET /api/live) says the records changed,
 * and once when the stream is ready (so nothing recorded between the page's first read and
 * the stream's start is missed). The browser reconnects a dropped stream by itself.
 */
export function useLive(onChange: (types: string[]) => void): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    const source = new EventSource('/api/live');
    source.addEventListener('ready', () => callback.current(['*']));
    source.addEventListener('change', (event) => {
      const { types } = JSON.parse((event as MessageEvent<string>).data) as { types: string[] };
      callback.current(types);
    });
    return () => source.close();
  }, []);
}
