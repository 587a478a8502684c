import type { Accept, CommandServices, Execution } from '../command-services.js';

/** Is the cabinet there, which version, what time does it think it is, how far is its log. */
export function runPing({ log, clock, version }: CommandServices, accept: Accept): Execution {
  const recorded = log.transaction(() => log.appendInTransaction([accept()]));
  return {
    recorded,
    outcome: {
      status: 'ok',
      result: { version, time: new Date(clock.wallMs()).toISOString(), lastSeq: log.lastSeq() },
    },
  };
}
