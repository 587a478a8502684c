/** The topic contract (docs/mqtt.md). One place builds every topic, so they cannot drift. */
export interface Topics {
  status: string;
  inventory: string;
  alarms: string;
  ack: string;
  reply: string;
  event(type: string): string;
  eventWildcard: string;
  command(name: string): string;
  commandWildcard: string;
}

export function topicsFor(prefix: string, cabinetId: string): Topics {
  const base = `${prefix}/${cabinetId}`;
  return {
    status: `${base}/status`,
    inventory: `${base}/inventory`,
    alarms: `${base}/alarms`,
    ack: `${base}/ack`,
    reply: `${base}/reply`,
    event: (type) => `${base}/event/${type}`,
    eventWildcard: `${base}/event/#`,
    command: (name) => `${base}/cmd/${name}`,
    commandWildcard: `${base}/cmd/+`,
  };
}
