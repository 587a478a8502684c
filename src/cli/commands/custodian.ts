import { printableJson } from '../../domain/values/free-text.js';
import { positiveInt, type Command } from '../command.js';
import { table } from '../../present/table.js';
import { credentialCommands } from './custodian-credentials.js';
import { groupCommands } from './custodian-groups.js';
import { holderCommands } from './custodian-holders.js';
import { keyCommands } from './custodian-keys.js';
import { lockoutCommands } from './custodian-lockouts.js';
import { permissionCommands } from './custodian-permissions.js';
import { pinCommands } from './custodian-pins.js';
import { scheduleCommands } from './custodian-schedules.js';
import { eventDetails } from '../../reports/event-details.js';
import { localTimeFormat } from '../../present/local-time-format.js';
import { JSON_OPT, readableView, withStore } from './custodian-shared.js';
import { tierCommands } from './custodian-tiers.js';

/** The custodian's tools (issue 4): each command group lives in its own custodian-*.ts. */
export const custodianCommands: Command[] = [
  ...holderCommands,
  ...credentialCommands,
  ...keyCommands,
  ...groupCommands,
  ...scheduleCommands,
  ...permissionCommands,
  ...pinCommands,
  ...lockoutCommands,
  ...tierCommands,
  {
    path: ['key', 'out'],
    summary: 'show which keys are out and with whom',
    usage: 'key out [--json]',
    options: JSON_OPT,
    async run(args, io) {
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const rows = await ctx.app.keys.out();
        if (args.values.json) {
          io.out(printableJson(rows));
          return;
        }
        if (rows.length === 0) {
          io.out('every key is in the cabinet');
          return;
        }
        io.out(
          table(
            ['KEY', 'LABEL', 'SLOT', 'HOLDER', 'SINCE'],
            rows.map((r) => [
              r.keyId,
              r.label,
              r.slot,
              `${r.holderName} (${r.holderId})`,
              view.at(r.outAt),
            ]),
          ),
        );
      });
    },
  },
  {
    path: ['events'],
    summary: 'show the most recent events, oldest first',
    usage: 'events [--limit <n>] [--json]',
    options: { limit: { type: 'string' }, ...JSON_OPT },
    async run(args, io) {
      const limitArg = args.values.limit;
      const limit = typeof limitArg === 'string' ? positiveInt(limitArg, '--limit') : 20;
      await withStore(args, async (ctx) => {
        const events = await ctx.app.events.recent(limit);
        if (args.values.json) {
          io.out(printableJson(events));
          return;
        }
        // Printed inside withStore: the names come from the same records as the rows.
        const names = await ctx.app.names();
        // Events follow each other within seconds: the log shows them to the second.
        const at = localTimeFormat(ctx.config.cabinet.timeZone, { seconds: true });
        io.out(
          table(
            ['SEQ', 'TIME', 'TYPE', 'DETAILS'],
            events.map((e) => [
              e.seq,
              at(e.time),
              e.type,
              eventDetails(e.data as Record<string, unknown>, { names }),
            ]),
          ),
        );
      });
    },
  },
];
