import { getPriority, setPriority } from 'node:os';
import { serviceNice } from './service-node-flags.js';

/** What a benchmark's process was given of the unit's priority, for its report. */
export interface ServicePriority {
  /** The main thread's nice value now. */
  nice: number;
  /** The unit's `Nice=`. */
  unitNice: number;
  /** Why the unit's value could not be taken (not root), or undefined. */
  refused?: string;
  /** Puts the main thread back to the nice value it had. */
  restore(): void;
}

/**
 * Gives this process's main thread the unit's `Nice=` before a benchmark starts the daemon in
 * it, so that the daemon runs at the priority systemd gives it and hands its helper threads
 * back to 0 as it does there. Raising a priority needs root (as systemd has); elsewhere the
 * benchmark runs at its own priority and says so in its report.
 */
export function takeServicePriority(): ServicePriority {
  const before = getPriority(0);
  const unitNice = serviceNice();
  let refused: string | undefined;
  try {
    setPriority(0, unitNice);
  } catch (err) {
    refused = (err as NodeJS.ErrnoException).code ?? String(err);
  }
  return {
    nice: getPriority(0),
    unitNice,
    refused,
    restore: () => {
      try {
        setPriority(0, before);
      } catch {
        // Back to a lower priority is always allowed; a refusal would only mean it stays.
      }
    },
  };
}

/** "nice -10 (the unit's Nice=)" or what was refused, for a benchmark's header lines. */
export function priorityText(priority: ServicePriority): string {
  return priority.refused === undefined
    ? `main thread at nice ${priority.nice} (the unit's Nice=)`
    : `main thread at nice ${priority.nice}: the unit's Nice=${priority.unitNice} was refused ` +
        `(${priority.refused}; run as root to measure what systemd runs)`;
}
