import { KeywardenError } from '../../errors.js';
import type { GrantSpec } from '../../app/policy-operations.js';
import { validity, wholeNumber } from '../../app/values.js';
import { positiveInt, type Command, type ParsedArgs } from '../command.js';
import {
  AS,
  AS_USAGE,
  JSON_OPT,
  option,
  printRows,
  readableView,
  withStore,
} from './custodian-shared.js';

function idOption(args: ParsedArgs, name: string): number | undefined {
  const value = option(args, name);
  return value === undefined ? undefined : positiveInt(value, `--${name}`);
}

export const permissionCommands: Command[] = [
  {
    path: ['permission', 'grant'],
    summary: 'allow a holder or a group to take the key of a slot or of a key set',
    usage: `permission grant (--holder <holder-id> | --group <group-id>) (--slot <slot> | --key-set <key-set-id>)
       [--schedule <schedule-id>] [--valid-from <time>] [--valid-until <time>]
       [--max-loan-minutes <n>] ${AS_USAGE}

  A holder on a slot without a schedule is a direct permission (granting it again with other
  bounds changes them); every other form is a policy grant, listed and revoked by its id.`,
    options: {
      holder: { type: 'string' },
      group: { type: 'string' },
      slot: { type: 'string' },
      'key-set': { type: 'string' },
      schedule: { type: 'string' },
      'valid-from': { type: 'string' },
      'valid-until': { type: 'string' },
      'max-loan-minutes': { type: 'string' },
      ...AS,
    },
    async run(args, io) {
      const spec: GrantSpec = {};
      const set = <K extends keyof GrantSpec>(key: K, value: GrantSpec[K] | undefined) => {
        if (value !== undefined) spec[key] = value;
      };
      set('holderId', idOption(args, 'holder'));
      set('groupId', idOption(args, 'group'));
      set('slot', idOption(args, 'slot'));
      set('keySetId', idOption(args, 'key-set'));
      set('scheduleId', idOption(args, 'schedule'));
      const bounds = validity(option(args, 'valid-from'), option(args, 'valid-until'));
      set('validFrom', bounds.validFrom ?? undefined);
      set('validUntil', bounds.validUntil ?? undefined);
      const max = option(args, 'max-loan-minutes');
      set(
        'maxLoanMinutes',
        max === undefined ? undefined : wholeNumber(max, '--max-loan-minutes', 1),
      );
      const result = await withStore(args, ({ app }) => app.grants.add(spec));
      const who = spec.holderId !== undefined ? `holder ${spec.holderId}` : `group ${spec.groupId}`;
      const what = spec.slot !== undefined ? `slot ${spec.slot}` : `key set ${spec.keySetId}`;
      if (result.kind === 'permission') {
        io.out(
          result.outcome === 'added'
            ? `${who} may now take ${what}`
            : result.outcome === 'updated'
              ? `permission ${result.id} changed: ${who} on ${what}`
              : 'already permitted; nothing changed',
        );
      } else {
        io.out(`grant ${result.id} added: ${who} may take ${what}`);
      }
    },
  },
  {
    path: ['permission', 'revoke'],
    summary: 'withdraw a direct permission (holder and slot) or a policy grant (its id)',
    usage: `permission revoke (--holder <holder-id> --slot <slot> | --grant <grant-id>) ${AS_USAGE}`,
    options: {
      holder: { type: 'string' },
      slot: { type: 'string' },
      grant: { type: 'string' },
      ...AS,
    },
    async run(args, io) {
      const grantId = idOption(args, 'grant');
      const holder = idOption(args, 'holder');
      const slot = idOption(args, 'slot');
      if (grantId !== undefined) {
        if (holder !== undefined || slot !== undefined)
          throw new KeywardenError('USAGE', 'give either --grant, or --holder with --slot');
        await withStore(args, ({ app }) => app.grants.revoke(grantId));
        io.out(`grant ${grantId} revoked`);
        return;
      }
      if (holder === undefined || slot === undefined)
        throw new KeywardenError('USAGE', 'give --holder with --slot, or --grant');
      const changed = await withStore(args, ({ app }) => app.permissions.revoke(holder, slot));
      io.out(
        changed
          ? `holder ${holder} may no longer take slot ${slot}`
          : 'was not permitted; nothing changed',
      );
    },
  },
  {
    path: ['permission', 'list'],
    summary: 'list direct permissions and policy grants',
    usage: 'permission list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const rows = await ctx.app.grants.list();
        printRows(
          args,
          io,
          rows,
          ['KIND', 'ID', 'WHO', 'WHAT', 'SCHEDULE', 'VALID', 'MAX-LOAN'],
          (g) => [
            g.kind,
            g.id,
            g.holderId !== null
              ? `holder ${view.names.holder(g.holderId)}`
              : `group ${view.names.group(g.groupId)}`,
            g.slot !== null ? view.names.slot(g.slot) : `key set ${view.names.keySet(g.keySetId)}`,
            g.scheduleId === null ? 'any time' : view.names.schedule(g.scheduleId),
            view.window(g.validFrom, g.validUntil),
            g.maxLoanMinutes === null ? '-' : `${g.maxLoanMinutes} min`,
          ],
          'nothing is permitted yet',
        );
      });
    },
  },
];
