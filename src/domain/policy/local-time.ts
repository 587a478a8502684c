import type { IsoWeekday } from '../model.js';

/** An instant as the cabinet's wall clock reads it in its time zone. */
export interface LocalTime {
  /** The local calendar date, YYYY-MM-DD. */
  date: string;
  weekday: IsoWeekday;
  /** Minutes after local midnight, 0–1439, as the wall clock shows them (DST applied). */
  minute: number;
}

const WEEKDAYS: Record<string, IsoWeekday> = {
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
  Sun: 7,
};

// Building a formatter costs tens of microseconds; a cabinet has one zone, so keep them.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the zone (an IANA name such as Europe/London): for config checks. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The local date, weekday and minute of `nowMs` in `timeZone`, through Intl (Node's full ICU
 * carries the tz database), so daylight-saving changes are the zone's own: on a spring-forward
 * night 02:xx never appears, on a fall-back night 01:xx appears twice. Throws a RangeError for
 * a zone Intl does not know: check the configuration with isValidTimeZone.
 */
export function localTimeAt(nowMs: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(nowMs)) parts[part.type] = part.value;
  const weekday = WEEKDAYS[parts['weekday'] ?? ''];
  if (weekday === undefined) throw new RangeError(`no weekday for ${nowMs} in ${timeZone}`);
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    weekday,
    minute: Number(parts['hour']) * 60 + Number(parts['minute']),
  };
}
