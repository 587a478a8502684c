import {
  calendarDate,
  endMinute,
  oneOf,
  ordered,
  orNull,
  startMinute,
  weekday,
} from '../policy/set-checks.js';
import { byId, id } from './field-checks.js';
import type { SectionRule } from './section-rule.js';

/** A weekly window of a schedule, within one day. */
export const scheduleWindows: SectionRule<'scheduleWindows'> = {
  fields: { id, scheduleId: id, day: weekday, startMinute, endMinute },
  ...byId,
  describe: (key) => `schedule window ${key}`,
  unique: [],
  references: [{ field: 'scheduleId', section: 'schedules' }],
  optionalSection: true,
  extra: (rows) =>
    rows.flatMap((row, index) =>
      row.startMinute < row.endMinute
        ? []
        : [
            {
              index,
              field: 'endMinute',
              problem: 'must be after startMinute (split a window at midnight)',
            },
          ],
    ),
};

/** A dated exception to a schedule: closed all day or open for a window. */
export const scheduleExceptions: SectionRule<'scheduleExceptions'> = {
  fields: {
    id,
    scheduleId: id,
    date: calendarDate,
    kind: oneOf('closed', 'open'),
    startMinute: orNull(startMinute),
    endMinute: orNull(endMinute),
  },
  ...byId,
  optional: ['startMinute', 'endMinute'],
  describe: (key) => `schedule exception ${key}`,
  unique: [],
  references: [{ field: 'scheduleId', section: 'schedules' }],
  optionalSection: true,
  extra: (rows) =>
    rows.flatMap((row, index) => {
      const start = row.startMinute ?? null;
      const end = row.endMinute ?? null;
      if ((start === null) !== (end === null)) {
        return [
          { index, field: 'endMinute', problem: 'give both startMinute and endMinute, or neither' },
        ];
      }
      return ordered(start, end)
        ? []
        : [{ index, field: 'endMinute', problem: 'must be after startMinute' }];
    }),
};
