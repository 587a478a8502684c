import { printable, printableJson } from '../../domain/values/free-text.js';
import { dayName, formatMinute } from '../../domain/values/week-clock.js';
import { calendarDate, minuteRange, name as checkName, oneOf, weekday } from '../../app/values.js';
import { requireOption, type Command } from '../command.js';
import { table } from '../../present/table.js';
import { AS, AS_USAGE, idArg, JSON_OPT, withStore } from './custodian-shared.js';

export const scheduleCommands: Command[] = [
  {
    path: ['schedule', 'add'],
    summary: 'create a weekly schedule (then add windows and exceptions)',
    usage: `schedule add --name <name> ${AS_USAGE}`,
    options: { name: { type: 'string' }, ...AS },
    async run(args, io) {
      const name = checkName(requireOption(args, 'name'), '--name');
      const id = await withStore(args, ({ app }) => app.schedules.add(name));
      io.out(`schedule ${id} added: ${name}`);
    },
  },
  {
    path: ['schedule', 'add-window'],
    summary: 'add a weekly window, e.g. Mon 08:00-18:00 (local time)',
    usage: `schedule add-window <schedule-id> <day> <HH:MM-HH:MM> ${AS_USAGE}

  Days Mon … Sun (or the whole name); times HH:MM in the cabinet's local time. A window ends
  by midnight (24:00, accepted only as an end): overnight access is two windows.`,
    positionals: ['schedule-id', 'day', 'hours'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'schedule-id');
      const day = weekday(args.positionals[1] ?? '', 'day');
      const range = minuteRange(args.positionals[2] ?? '', 'hours');
      const windowId = await withStore(args, ({ app }) => app.schedules.addWindow(id, day, range));
      io.out(
        `window ${windowId} added to schedule ${id}: ${dayName(day)} ${formatMinute(range.start)}-${formatMinute(range.end)}`,
      );
    },
  },
  {
    path: ['schedule', 'add-exception'],
    summary: 'add a dated exception: 2026-12-25 closed, or 2026-12-24 open 08:00-12:00',
    usage: `schedule add-exception <schedule-id> <YYYY-MM-DD> closed|open [HH:MM-HH:MM] ${AS_USAGE}

  closed without hours: closed all day; with hours: closed then. open: open those hours (all day
  without hours) even outside the weekly windows.`,
    positionals: ['schedule-id', 'date', 'kind'],
    optionalPositionals: ['hours'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'schedule-id');
      const date = calendarDate(args.positionals[1] ?? '', 'date');
      const kind = oneOf(args.positionals[2] ?? '', 'kind', ['closed', 'open'] as const);
      const hours = args.positionals[3];
      const range = hours === undefined ? null : minuteRange(hours, 'hours');
      const exceptionId = await withStore(args, ({ app }) =>
        app.schedules.addException(id, date, kind, range),
      );
      io.out(
        `exception ${exceptionId} added to schedule ${id}: ${date} ${kind}${hours ? ` ${hours}` : ''}`,
      );
    },
  },
  {
    path: ['schedule', 'remove'],
    summary: 'remove a schedule with its windows and exceptions (refused while a grant uses it)',
    usage: `schedule remove <schedule-id> ${AS_USAGE}`,
    positionals: ['schedule-id'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'schedule-id');
      await withStore(args, ({ app }) => app.schedules.remove(id));
      io.out(`schedule ${id} removed`);
    },
  },
  {
    path: ['schedule', 'list'],
    summary: 'list schedules with their windows and exceptions',
    usage: 'schedule list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      const rows = await withStore(args, ({ app }) => app.schedules.list());
      if (args.values.json) {
        io.out(printableJson(rows));
        return;
      }
      if (rows.length === 0) {
        io.out('no schedules yet');
        return;
      }
      io.out(
        rows
          .map((s) =>
            [
              `schedule ${s.id}: ${printable(s.name)}`,
              s.windows.length + s.exceptions.length === 0
                ? '  (no windows: never open)'
                : table(
                    ['  ID', 'WHEN', 'HOURS'],
                    [
                      ...s.windows.map((w) => [`  ${w.id}`, w.day, w.hours]),
                      ...s.exceptions.map((x) => [
                        `  ${x.id}`,
                        `${x.date} ${x.kind}`,
                        x.hours ?? 'all day',
                      ]),
                    ],
                  ),
            ].join('\n'),
          )
          .join('\n\n'),
      );
    },
  },
];
