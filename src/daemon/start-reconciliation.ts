import type { EventEmitter } from 'node:events';

/**
 * When to reconcile at start: once the inputs have been read. The key-present switches are read
 * as they are claimed; the fob reader reports every occupied slot when it connects, so the
 * reconciliation waits for it to come online and a little longer for its reports. If it never
 * comes (unplugged, broken), the reconciliation runs anyway after `fallbackMs`, on the switches
 * alone: a missing key must not go unreported because a reader is.
 */
export interface StartReconciliationOptions {
  /** Emits `online` when the fob reader's port opens. */
  fobReader: Pick<EventEmitter, 'once' | 'off'>;
  run: () => void;
  /** After the fob reader is online, time for its reports to arrive. */
  settleMs?: number;
  fallbackMs?: number;
}

export const FOB_SETTLE_MS = 750;
export const FOB_FALLBACK_MS = 5_000;

export interface StartReconciliation {
  /** Settles once it has run, or was cancelled. */
  finished: Promise<void>;
  cancel(): void;
}

/** Schedules the one reconciliation; `cancel` drops it (a stop during start). */
export function scheduleStartReconciliation(
  options: StartReconciliationOptions,
): StartReconciliation {
  const settleMs = options.settleMs ?? FOB_SETTLE_MS;
  let done = false;
  let settle: NodeJS.Timeout | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const runOnce = () => {
    if (done) return;
    done = true;
    cancel();
    try {
      options.run();
    } finally {
      finish();
    }
  };
  const onOnline = () => {
    settle ??= setTimeout(runOnce, settleMs);
  };
  const fallback = setTimeout(runOnce, options.fallbackMs ?? FOB_FALLBACK_MS);
  options.fobReader.once('online', onOnline);
  function cancel(): void {
    clearTimeout(fallback);
    if (settle) clearTimeout(settle);
    options.fobReader.off('online', onOnline);
  }
  return {
    finished,
    cancel() {
      done = true;
      cancel();
      finish();
    },
  };
}
