/** Names for the ids an event carries, when the reader of a table should see them. */
export interface IdNames {
  holder(id: number | null): string;
  key(id: number | null): string;
  group(id: number | null): string;
  keySet(id: number | null): string;
  schedule(id: number | null): string;
}

const NAMED: Record<string, keyof IdNames> = {
  holderId: 'holder',
  keyId: 'key',
  groupId: 'group',
  keySetId: 'keySet',
  scheduleId: 'schedule',
};

/**
 * An event's data as `name=value` for a person (nulls and the `skip` fields left out), the actor
 * as its account; with `names`, an id field shows its name too: `holderId=Alice Example (1)`.
 */
export function eventDetails(
  data: Record<string, unknown>,
  options: { skip?: readonly string[]; names?: IdNames } = {},
): string {
  const { skip = [], names } = options;
  return Object.entries(data)
    .filter(([k, v]) => !skip.includes(k) && v !== null)
    .map(([k, v]) => {
      if (k === 'actor' && v && typeof v === 'object') {
        const actor = v as { kind: string; account: string };
        return `by=${actor.kind}:${actor.account}`;
      }
      const kind = NAMED[k];
      if (names && kind && typeof v === 'number') return `${k}=${names[kind](v)}`;
      return `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`;
    })
    .join(' ');
}
