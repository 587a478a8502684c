import type { Schedule, ScheduleException } from '../model.js';
import type { LocalTime } from './local-time.js';

/**
 * Whether a schedule admits this local time. Judged on the wall clock, which is what people
 * read the schedule in: a 01:00–03:00 window lasts one real hour on a spring-forward night
 * (02:00 jumps to 03:00) and three on a fall-back night (01:00–02:00 comes twice). Dated
 * exceptions come first: a closure denies even inside a weekly window, an extra opening
 * admits outside them.
 */
export function scheduleAllows(schedule: Schedule, local: LocalTime): boolean {
  let extraOpen = false;
  for (const exception of schedule.exceptions) {
    if (exception.date !== local.date || !covers(exception, local.minute)) continue;
    switch (exception.kind) {
      case 'closed':
        return false;
      case 'open':
        extraOpen = true;
        break;
      default:
        return assertNever(exception.kind);
    }
  }
  if (extraOpen) return true;
  return schedule.windows.some(
    (w) => w.day === local.weekday && local.minute >= w.startMinute && local.minute < w.endMinute,
  );
}

function covers(exception: ScheduleException, minute: number): boolean {
  const start = exception.startMinute ?? 0;
  const end = exception.endMinute ?? 24 * 60;
  return minute >= start && minute < end;
}

function assertNever(value: never): never {
  throw new Error(`unexpected exception kind ${String(value)}`);
}
