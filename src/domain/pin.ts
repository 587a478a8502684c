/**
 * What a PIN entry came to. The flow never sees a PIN nor a hash: checking one costs a slow,
 * salted scrypt (src/store/pin-hash.ts), which is I/O-like work the shell does before it hands
 * the outcome to the flow, so a step stays pure and quick.
 *
 * `duress`: the holder entered their duress PIN. The cabinet grants exactly as for `ok`, so
 * nobody watching can tell, and records a silent `alarm.duress` (no LED, no buzzer).
 */
export type PinOutcome = 'ok' | 'duress' | 'wrong';
