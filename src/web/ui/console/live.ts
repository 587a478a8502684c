import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `onChange` when the server's live stream (GET /api/live) says the records changed,
 * and once when the stream is ready (so nothing recorded between the page's first read and
 * the stream's start is missed). The browser reconnects a dropped stream by itself. `seq` (the
 * change's latest event) lets pages re-reading after the same change share one server read.
 */
export function useLive(onChange: (types: string[], seq?: number) => void): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    const source = new EventSource('/api/live');
    source.addEventListener('ready', () => callback.current(['*']));
    source.addEventListener('change', (event) => {
      const { types, seq } = JSON.parse((event as MessageEvent<string>).data) as {
        types: string[];
        seq: number;
      };
      callback.current(types, seq);
    });
    return () => source.close();
  }, []);
}
