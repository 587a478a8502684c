import { useState } from 'preact/hooks';

/** What the last change said: what was done, or the server's refusal as it worded it. */
export interface ActionNote {
  kind: 'ok' | 'error';
  text: string;
}

/**
 * Runs a change and keeps what it said for a Banner: the text `change` returns when it
 * succeeds, the server's message when it is refused; `then` (a reload) only after a success.
 */
export function useAction(then: () => void) {
  const [note, setNote] = useState<ActionNote | null>(null);
  const run = async (change: () => Promise<string>): Promise<boolean> => {
    try {
      setNote({ kind: 'ok', text: await change() });
      then();
      return true;
    } catch (error) {
      setNote({ kind: 'error', text: (error as Error).message });
      return false;
    }
  };
  return { note, run, clear: () => setNote(null) };
}
