import { printable, printableJson } from '../../domain/values/free-text.js';
import type { HolderFields } from '../../app/holder-operations.js';
import {
  freeText,
  instantOrNone,
  validity,
  wholeNumber,
  wholeNumberOrNone,
} from '../../app/values.js';
import { requireOption, type Command } from '../command.js';
import { table } from '../../present/table.js';
import {
  AS,
  AS_USAGE,
  idArg,
  JSON_OPT,
  option,
  printRows,
  readableView,
  requireSome,
  withStore,
} from './custodian-shared.js';

const VALIDITY_OPTS = {
  'valid-from': { type: 'string' },
  'valid-until': { type: 'string' },
} as const;

export const holderCommands: Command[] = [
  {
    path: ['holder', 'add'],
    summary: 'register a person who may use the cabinet',
    usage: `holder add --name <name> [--valid-from <time>] [--valid-until <time>] [--max-keys-out <n>] ${AS_USAGE}

  Times carry their zone: 2026-12-31T18:00Z or 2026-12-31T18:00+01:00. A contractor with
  --valid-until loses access by themselves at that instant.`,
    options: {
      name: { type: 'string' },
      ...VALIDITY_OPTS,
      'max-keys-out': { type: 'string' },
      ...AS,
    },
    async run(args, io) {
      const name = freeText(requireOption(args, 'name'), '--name');
      const { validFrom, validUntil } = validity(
        option(args, 'valid-from'),
        option(args, 'valid-until'),
      );
      const max = option(args, 'max-keys-out');
      const maxKeysOut = max === undefined ? null : wholeNumber(max, '--max-keys-out', 0);
      const id = await withStore(args, ({ app }) =>
        app.holders.add(name, { validFrom, validUntil, maxKeysOut }),
      );
      io.out(`holder ${id} added: ${name}`);
    },
  },
  {
    path: ['holder', 'list'],
    summary: 'list holders with their cards and permitted slots',
    usage: 'holder list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      const rows = await withStore(args, ({ app }) => app.holders.list());
      printRows(
        args,
        io,
        rows,
        ['ID', 'NAME', 'STATE', 'CARDS', 'SLOTS'],
        (h) => [h.id, h.name, h.enabled ? 'enabled' : 'disabled', h.cards, h.slots || '-'],
        'no holders yet (keywarden holder add --name …)',
      );
    },
  },
  {
    path: ['holder', 'show'],
    summary: 'show one holder: validity, cards, groups, permissions and keys out',
    usage: 'holder show <holder-id> [--json]',
    positionals: ['holder-id'],
    options: JSON_OPT,
    async run(args, io) {
      const id = idArg(args, 0, 'holder-id');
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const h = await ctx.app.holders.show(id);
        if (args.values.json) {
          io.out(printableJson(h));
          return;
        }
        io.out(
          [
            `holder ${h.id}: ${printable(h.name)} (${h.enabled ? 'enabled' : 'disabled'})`,
            `valid:         ${view.window(h.validFrom, h.validUntil)}`,
            `max keys out:  ${h.maxKeysOut ?? 'default'}`,
            `groups:        ${h.groups.map((g) => `${printable(g.name)} (${g.id})`).join(', ') || '-'}`,
            `slots:         ${h.permissions.map((p) => view.names.slot(p.slot)).join(', ') || '-'}`,
            `grants:        ${h.grants.join(', ') || '-'}`,
            '',
            h.credentials.length === 0
              ? 'no cards'
              : table(
                  ['CARD-ID', 'CARD', 'STATE', 'VALID', 'PIN'],
                  h.credentials.map((c) => [
                    c.id,
                    c.card,
                    c.enabled ? 'enabled' : 'disabled',
                    view.window(c.validFrom, c.validUntil),
                    c.pin ? 'set' : '-',
                  ]),
                ),
            '',
            h.keysOut.length === 0
              ? 'no keys out'
              : table(
                  ['KEY', 'LABEL', 'SLOT', 'SINCE'],
                  h.keysOut.map((k) => [k.keyId, k.keyLabel, k.slot, view.at(k.outAt)]),
                ),
          ].join('\n'),
        );
      });
    },
  },
  {
    path: ['holder', 'disable'],
    summary: 'disable a holder at once (departure): every badge of theirs is refused',
    usage: `holder disable <holder-id> ${AS_USAGE}`,
    positionals: ['holder-id'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'holder-id');
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const { changed, outstanding } = await ctx.app.holders.disable(id);
        io.out(
          changed ? `holder ${id} disabled` : `holder ${id} was already disabled; nothing changed`,
        );
        if (outstanding.length > 0) {
          io.out(
            `\nOUTSTANDING: ${outstanding.length} key(s) still out with holder ${id}, to recover:`,
          );
          io.out(
            table(
              ['KEY', 'LABEL', 'SLOT', 'SINCE'],
              outstanding.map((k) => [k.keyId, k.keyLabel, k.slot, view.at(k.outAt)]),
            ),
          );
        }
      });
    },
  },
  {
    path: ['holder', 'enable'],
    summary: 'enable a disabled holder again',
    usage: `holder enable <holder-id> ${AS_USAGE}`,
    positionals: ['holder-id'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'holder-id');
      const changed = await withStore(args, ({ app }) => app.holders.enable(id));
      io.out(
        changed ? `holder ${id} enabled` : `holder ${id} was already enabled; nothing changed`,
      );
    },
  },
  {
    path: ['holder', 'set'],
    summary: "change a holder's name, validity window or keys-out limit",
    usage: `holder set <holder-id> [--name <name>] [--valid-from <time>|none] [--valid-until <time>|none]
                 [--max-keys-out <n>|default] ${AS_USAGE}`,
    positionals: ['holder-id'],
    options: {
      name: { type: 'string' },
      ...VALIDITY_OPTS,
      'max-keys-out': { type: 'string' },
      ...AS,
    },
    async run(args, io) {
      const id = idArg(args, 0, 'holder-id');
      requireSome(args, ['name', 'valid-from', 'valid-until', 'max-keys-out']);
      const patch: Partial<HolderFields> = {};
      const name = option(args, 'name');
      if (name !== undefined) patch.name = freeText(name, '--name');
      const from = option(args, 'valid-from');
      if (from !== undefined) patch.validFrom = instantOrNone(from, '--valid-from');
      const until = option(args, 'valid-until');
      if (until !== undefined) patch.validUntil = instantOrNone(until, '--valid-until');
      const max = option(args, 'max-keys-out');
      if (max !== undefined)
        patch.maxKeysOut =
          max.trim().toLowerCase() === 'default'
            ? null
            : wholeNumberOrNone(max, '--max-keys-out', 0);
      const changed = await withStore(args, ({ app }) => app.holders.update(id, patch));
      io.out(changed ? `holder ${id} changed` : `holder ${id} already so; nothing changed`);
    },
  },
];
