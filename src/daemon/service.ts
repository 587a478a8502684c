/**
 * A part of the running daemon with a lifetime. The daemon starts its services one after the
 * other, in the order that keeps the cabinet safe, and stops them in the reverse order
 * (service-set.ts). Each one undoes in `stop` what its `start` set going: its timers, listeners,
 * ports and files. A `start` may hand back what later services are built from (the open
 * database, the broker link), so that nothing exists before what it needs has started.
 */
export interface Service<Handle = void> {
  /** Names the service in the log when its start or stop fails. */
  readonly name: string;
  start(): Handle | Promise<Handle>;
  stop(): void | Promise<void>;
}
