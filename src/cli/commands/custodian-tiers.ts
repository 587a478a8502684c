import { checkReasonCode } from '../../app/custodian-rules.js';
import type { TierPatch } from '../../app/policy-operations.js';
import { KEY_TIERS } from '../../domain/values/key-kinds.js';
import { freeText, oneOf, wholeNumber, yesNo } from '../../app/values.js';
import { positiveInt, requireOption, type Command } from '../command.js';
import {
  AS,
  AS_USAGE,
  JSON_OPT,
  option,
  printRows,
  readableView,
  requireSome,
  withStore,
} from './custodian-shared.js';

const isNone = (v: string) => v.trim().toLowerCase() === 'none';

export const tierCommands: Command[] = [
  {
    path: ['tier', 'list'],
    summary: 'list the rules of each key tier (authorisers, PIN, loan limit, reason code)',
    usage: 'tier list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const rows = await ctx.app.tiers.list();
        printRows(
          args,
          io,
          rows,
          ['TIER', 'AUTHORISERS', 'FROM-GROUP', 'PIN', 'MAX-LOAN', 'REASON-CODE'],
          (t) => [
            t.tier,
            t.authorisers,
            view.names.group(t.authoriserGroupId),
            t.pin ? 'yes' : 'no',
            t.maxLoanMinutes === null ? '-' : `${t.maxLoanMinutes} min`,
            t.reasonCode ? 'yes' : 'no',
          ],
          'no tier rules',
        );
      });
    },
  },
  {
    path: ['tier', 'set'],
    summary: 'set what releasing a key of a tier asks for',
    usage: `tier set grand_master|master|sub_master|change [--authorisers 0|1|2] [--authoriser-group <group-id>|none]
       [--pin yes|no] [--max-loan-minutes <n>|none] [--reason-code yes|no] ${AS_USAGE}

  --authorisers: further holders who must badge before the key is released (two- and
  three-person rule); --authoriser-group: they must belong to that group.`,
    positionals: ['tier'],
    options: {
      authorisers: { type: 'string' },
      'authoriser-group': { type: 'string' },
      pin: { type: 'string' },
      'max-loan-minutes': { type: 'string' },
      'reason-code': { type: 'string' },
      ...AS,
    },
    async run(args, io) {
      const tier = oneOf(args.positionals[0] ?? '', 'tier', KEY_TIERS);
      requireSome(args, [
        'authorisers',
        'authoriser-group',
        'pin',
        'max-loan-minutes',
        'reason-code',
      ]);
      const patch: TierPatch = {};
      const authorisers = option(args, 'authorisers');
      if (authorisers !== undefined)
        patch.authorisers = Number(oneOf(authorisers, '--authorisers', ['0', '1', '2'] as const));
      const group = option(args, 'authoriser-group');
      if (group !== undefined)
        patch.authoriserGroupId = isNone(group) ? null : positiveInt(group, '--authoriser-group');
      const pin = option(args, 'pin');
      if (pin !== undefined) patch.pin = yesNo(pin, '--pin');
      const max = option(args, 'max-loan-minutes');
      if (max !== undefined)
        patch.maxLoanMinutes = isNone(max) ? null : wholeNumber(max, '--max-loan-minutes', 1);
      const reason = option(args, 'reason-code');
      if (reason !== undefined) patch.reasonCode = yesNo(reason, '--reason-code');
      const changed = await withStore(args, ({ app }) => app.tiers.set(tier, patch));
      io.out(changed ? `tier ${tier} changed` : `tier ${tier} already so; nothing changed`);
    },
  },
  {
    path: ['reason-code', 'add'],
    summary: 'add a reason code that may be entered after the PIN (1 to 6 digits)',
    usage: `reason-code add <code> --description <text> ${AS_USAGE}`,
    positionals: ['code'],
    options: { description: { type: 'string' }, ...AS },
    async run(args, io) {
      const code = checkReasonCode(args.positionals[0] ?? '');
      const description = freeText(requireOption(args, 'description'), '--description');
      await withStore(args, ({ app }) => app.reasonCodes.add(code, description));
      io.out(`reason code ${code} added: ${description.trim()}`);
    },
  },
  {
    path: ['reason-code', 'remove'],
    summary: 'remove a reason code',
    usage: `reason-code remove <code> ${AS_USAGE}`,
    positionals: ['code'],
    options: AS,
    async run(args, io) {
      const code = checkReasonCode(args.positionals[0] ?? '');
      await withStore(args, ({ app }) => app.reasonCodes.remove(code));
      io.out(`reason code ${code} removed`);
    },
  },
  {
    path: ['reason-code', 'list'],
    summary: 'list reason codes (none: any code of 1 to 6 digits is accepted and recorded)',
    usage: 'reason-code list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      const rows = await withStore(args, ({ app }) => app.reasonCodes.list());
      printRows(
        args,
        io,
        rows,
        ['CODE', 'DESCRIPTION'],
        (r) => [r.code, r.description],
        'no reason codes: any code of 1 to 6 digits is accepted and recorded',
      );
    },
  },
];
