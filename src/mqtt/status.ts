/** The retained status payload; the last will carries the offline form. */
export interface StatusPayload {
  state: 'online' | 'offline';
  cabinetId: string;
  version: string;
  startedAt: string;
}

export function statusPayload(
  state: StatusPayload['state'],
  base: Omit<StatusPayload, 'state'>,
): string {
  return JSON.stringify({ state, ...base } satisfies StatusPayload);
}
