/**
 * Times as the custodian reads them: in the cabinet's time zone (config cabinet.timeZone), never
 * raw UTC. The API speaks ISO 8601 instants; the zone comes from GET /api/cabinet.
 */
let cabinetZone = 'UTC';

export function useTimeZone(zone: string): void {
  cabinetZone = zone;
}

export function timeZone(): string {
  return cabinetZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'dateTime' | 'date' | 'time'): Intl.DateTimeFormat {
  const key = `${kind}/${cabinetZone}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = { timeZone: cabinetZone };
    if (kind !== 'time')
      Object.assign(options, { year: 'numeric', month: 'short', day: 'numeric' });
    if (kind !== 'date') Object.assign(options, { hour: '2-digit', minute: '2-digit' });
    f = new Intl.DateTimeFormat(undefined, options);
    formatters.set(key, f);
  }
  return f;
}

/** "7 Dec 2026, 09:30" in the cabinet's zone; an empty string for no instant. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter('dateTime').format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter('date').format(date);
}

/** "in 2 h 5 min" / "3 min ago", for due times and since-when. */
export function formatRelative(iso: string, nowMs = Date.now()): string {
  const ms = new Date(iso).getTime() - nowMs;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const text =
    minutes < 1
      ? 'less than a minute'
      : minutes < 60
        ? `${minutes} min`
        : minutes < 48 * 60
          ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
          : `${Math.round(minutes / 1440)} days`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/**
 * A value typed in a <input type="datetime-local"> (wall time in the cabinet's zone) as an ISO
 * instant with the zone's offset at that moment: what the API's strict parser takes.
 */
export function localInputToInstant(value: string): string {
  const [datePart = '', timePart = '00:00'] = value.split('T');
  const [y, mo, d] = datePart.split('-').map(Number);
  const [h, mi] = timePart.split(':').map(Number);
  const guess = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
  // The zone's offset at the guessed instant, applied once and checked once (DST edges).
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: cabinetZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - ms;
  };
  let instant = guess - offsetAt(guess);
  instant = guess - offsetAt(instant);
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

/**
 * An ISO instant as a <input type="datetime-local"> value (wall time in the cabinet's zone):
 * the inverse of localInputToInstant, for forms that edit a time.
 */
export function instantToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: cabinetZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
