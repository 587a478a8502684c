/** The retained status payload; the last will carries the offline form without the counters. */
export interface StatusPayload {
  state: 'online' | 'offline';
  cabinetId: string;
  version: string;
  startedAt: string;
  /** Events not yet acknowledged by the broker (waiting to be published). */
  outboxDepth?: number;
  /** Highest sequence number the central server has acknowledged without gaps. */
  lastAckedSeq?: number;
  /** Highest sequence number recorded: a consumer holding less knows more is to come. */
  lastSeq?: number;
}

export function statusPayload(
  state: StatusPayload['state'],
  base: Omit<StatusPayload, 'state'>,
): string {
  return JSON.stringify({ state, ...base } satisfies StatusPayload);
}
