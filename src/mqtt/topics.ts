/** The topic contract (docs/mqtt.md). One place builds every topic, so they cannot drift. */
export interface Topics {
  status: string;
  event(type: string): string;
  eventWildcard: string;
}

export function topicsFor(prefix: string, cabinetId: string): Topics {
  const base = `${prefix}/${cabinetId}`;
  return {
    status: `${base}/status`,
    event: (type) => `${base}/event/${type}`,
    eventWildcard: `${base}/event/#`,
  };
}
