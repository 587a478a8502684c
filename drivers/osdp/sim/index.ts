/**
 * The OSDP reader (PD) simulator: readers that answer a control panel as OSDP v2.2 says, on a
 * simulated multi-drop bus, reached through a real serial port or an in-process link port.
 * docs/osdp.md ("The PD simulator") describes what they do and how to make them misbehave.
 */
export * from './command-refusal.js';
export * from './link-port.js';
export * from './reader-indicators.js';
export * from './reader-profile.js';
export * from './reply-faults.js';
export * from './sim-clock.js';
export * from './simulated-bus.js';
export * from './simulated-reader.js';
