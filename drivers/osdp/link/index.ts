/**
 * The OSDP control panel's bus over the pure core: polling, sequence numbers, resends,
 * timeouts, online/offline, Secure Channel sessions. docs/osdp.md, "The bus".
 */
export * from './bus-api.js';
export * from './bus.js';
export * from './comset.js';
export * from './port-glue.js';
