import type { Accept, CommandServices, Execution } from '../command-services.js';

/** Is the cabinet there, which version, what time does it think it is, how far is its log. */
export function runPing({ server, clock, version }: CommandServices, accept: Accept): Execution {
  const recorded = server.acknowledge(accept);
  return {
    recorded,
    outcome: {
      status: 'ok',
      result: { version, time: new Date(clock.wallMs()).toISOString(), lastSeq: server.lastSeq() },
    },
  };
}
