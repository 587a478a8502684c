import { useEffect, useState } from 'preact/hooks';

/**
 * Loads what a page shows, again whenever `deps` change or `reload` is called; the failure is
 * kept as the server worded it, for a Banner.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (v) => {
        if (!current) return;
        setValue(v);
        setError(null);
      },
      (e: unknown) => {
        if (current) setError((e as Error).message);
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { value, error, reload: () => setRound((r) => r + 1) };
}
