/**
 * Local clock times and weekdays as people write them back: the inverse of readClockTime
 * (instant.ts) and of the weekday names, for listings and the audit record of a change.
 */

/** ISO weekdays 1 … 7 by their short names. */
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Minutes after midnight as `HH:MM` (1440 as `24:00`, the end of a day). */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** 1 … 7 (ISO weekday) as `Mon` … `Sun`. */
export function dayName(day: number): string {
  const name = DAYS[day - 1] ?? '?';
  return name[0]!.toUpperCase() + name.slice(1);
}
