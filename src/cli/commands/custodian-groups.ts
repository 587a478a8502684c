import type { CustodianClient } from '../../app/custodian-client.js';
import { name as checkName, wholeNumber, wholeNumberOrNone } from '../../app/values.js';
import { requireOption, type Command } from '../command.js';
import {
  AS,
  AS_USAGE,
  idArg,
  JSON_OPT,
  option,
  orDash,
  printRows,
  readableView,
  withStore,
} from './custodian-shared.js';

/** `group add-member 2 5` style: two ids, a store call that says whether anything changed. */
function membership(
  path: [string, string],
  summary: string,
  names: [string, string],
  apply: (app: CustodianClient, a: number, b: number) => Promise<boolean>,
  done: (a: number, b: number) => string,
  nothing: string,
): Command {
  return {
    path,
    summary,
    usage: `${path.join(' ')} <${names[0]}> <${names[1]}> ${AS_USAGE}`,
    positionals: [...names],
    options: AS,
    async run(args, io) {
      const a = idArg(args, 0, names[0]);
      const b = idArg(args, 1, names[1]);
      const changed = await withStore(args, ({ app }) => apply(app, a, b));
      io.out(changed ? done(a, b) : nothing);
    },
  };
}

export const groupCommands: Command[] = [
  {
    path: ['group', 'add'],
    summary: 'create an access group (permissions can be granted to it)',
    usage: `group add --name <name> [--max-loan-minutes <n>] ${AS_USAGE}`,
    options: { name: { type: 'string' }, 'max-loan-minutes': { type: 'string' }, ...AS },
    async run(args, io) {
      const name = checkName(requireOption(args, 'name'), '--name');
      const max = option(args, 'max-loan-minutes');
      const limit = max === undefined ? null : wholeNumber(max, '--max-loan-minutes', 1);
      const id = await withStore(args, ({ app }) => app.groups.add(name, limit));
      io.out(`group ${id} added: ${name}`);
    },
  },
  {
    path: ['group', 'rename'],
    summary: 'rename an access group',
    usage: `group rename <group-id> --name <name> ${AS_USAGE}`,
    positionals: ['group-id'],
    options: { name: { type: 'string' }, ...AS },
    async run(args, io) {
      const id = idArg(args, 0, 'group-id');
      const name = checkName(requireOption(args, 'name'), '--name');
      const changed = await withStore(args, ({ app }) => app.groups.update(id, { name }));
      io.out(
        changed ? `group ${id} renamed: ${name}` : `group ${id} already so named; nothing changed`,
      );
    },
  },
  {
    path: ['group', 'set'],
    summary: "set an access group's loan limit (none: no limit)",
    usage: `group set <group-id> --max-loan-minutes <n>|none ${AS_USAGE}`,
    positionals: ['group-id'],
    options: { 'max-loan-minutes': { type: 'string' }, ...AS },
    async run(args, io) {
      const id = idArg(args, 0, 'group-id');
      const limit = wholeNumberOrNone(
        requireOption(args, 'max-loan-minutes'),
        '--max-loan-minutes',
        1,
      );
      const changed = await withStore(args, ({ app }) =>
        app.groups.update(id, { maxLoanMinutes: limit }),
      );
      io.out(changed ? `group ${id} changed` : `group ${id} already so; nothing changed`);
    },
  },
  {
    path: ['group', 'remove'],
    summary: 'remove an access group (refused while a grant or tier rule names it)',
    usage: `group remove <group-id> ${AS_USAGE}`,
    positionals: ['group-id'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'group-id');
      await withStore(args, ({ app }) => app.groups.remove(id));
      io.out(`group ${id} removed`);
    },
  },
  membership(
    ['group', 'add-member'],
    'put a holder in an access group',
    ['group-id', 'holder-id'],
    (app, g, h) => app.groups.addMember(g, h),
    (g, h) => `holder ${h} is now in group ${g}`,
    'already a member; nothing changed',
  ),
  membership(
    ['group', 'remove-member'],
    'take a holder out of an access group',
    ['group-id', 'holder-id'],
    (app, g, h) => app.groups.removeMember(g, h),
    (g, h) => `holder ${h} is no longer in group ${g}`,
    'was not a member; nothing changed',
  ),
  {
    path: ['group', 'list'],
    summary: 'list access groups with their members',
    usage: 'group list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const rows = await ctx.app.groups.list();
        printRows(
          args,
          io,
          rows,
          ['ID', 'NAME', 'MAX-LOAN', 'MEMBERS'],
          (g) => [
            g.id,
            g.name,
            g.maxLoanMinutes === null ? '-' : `${g.maxLoanMinutes} min`,
            orDash(g.members.map((m) => view.names.holder(m)).join(', ')),
          ],
          'no groups yet',
        );
      });
    },
  },
  {
    path: ['key-set', 'add'],
    summary: 'create a key set (permissions can be granted on it)',
    usage: `key-set add --name <name> ${AS_USAGE}`,
    options: { name: { type: 'string' }, ...AS },
    async run(args, io) {
      const name = checkName(requireOption(args, 'name'), '--name');
      const id = await withStore(args, ({ app }) => app.keySets.add(name));
      io.out(`key set ${id} added: ${name}`);
    },
  },
  membership(
    ['key-set', 'add-key'],
    'put a key in a key set',
    ['key-set-id', 'key-id'],
    (app, set, key) => app.keySets.addKey(set, key),
    (s, k) => `key ${k} is now in key set ${s}`,
    'already in the set; nothing changed',
  ),
  membership(
    ['key-set', 'remove-key'],
    'take a key out of a key set',
    ['key-set-id', 'key-id'],
    (app, set, key) => app.keySets.removeKey(set, key),
    (s, k) => `key ${k} is no longer in key set ${s}`,
    'was not in the set; nothing changed',
  ),
  {
    path: ['key-set', 'remove'],
    summary: 'remove a key set (refused while a grant names it)',
    usage: `key-set remove <key-set-id> ${AS_USAGE}`,
    positionals: ['key-set-id'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'key-set-id');
      await withStore(args, ({ app }) => app.keySets.remove(id));
      io.out(`key set ${id} removed`);
    },
  },
  {
    path: ['key-set', 'list'],
    summary: 'list key sets with their keys',
    usage: 'key-set list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const rows = await ctx.app.keySets.list();
        printRows(
          args,
          io,
          rows,
          ['ID', 'NAME', 'KEYS'],
          (s) => [s.id, s.name, orDash(s.keys.map((k) => view.names.key(k)).join(', '))],
          'no key sets yet',
        );
      });
    },
  },
];
