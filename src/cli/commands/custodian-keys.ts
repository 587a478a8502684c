import type { KeyFields, KeyPolicy } from '../../app/key-operations.js';
import { KEY_STATES, KEY_TIERS, RETURN_POLICIES } from '../../domain/values/key-kinds.js';
import { formatMinute } from '../../domain/values/week-clock.js';
import { clockMinute, freeText, oneOf, wholeNumber } from '../../app/values.js';
import { positiveInt, requireOption, type Command, type ParsedArgs } from '../command.js';
import {
  AS,
  AS_USAGE,
  idArg,
  JSON_OPT,
  option,
  orDash,
  printRows,
  readableView,
  requireSome,
  withStore,
} from './custodian-shared.js';

const POLICY_OPTS = {
  tier: { type: 'string' },
  'max-loan-minutes': { type: 'string' },
  curfew: { type: 'string' },
  return: { type: 'string' },
} as const;

const POLICY_USAGE = `[--tier grand_master|master|sub_master|change|none] [--max-loan-minutes <n>|none]
       [--curfew HH:MM|none] [--return home|any]`;

const isNone = (v: string) => v.trim().toLowerCase() === 'none';

/** The policy options given, checked; `none` clears one. */
function policyOptions(args: ParsedArgs): Partial<KeyPolicy> {
  const policy: Partial<KeyPolicy> = {};
  const tier = option(args, 'tier');
  if (tier !== undefined) policy.tier = isNone(tier) ? null : oneOf(tier, '--tier', KEY_TIERS);
  const max = option(args, 'max-loan-minutes');
  if (max !== undefined)
    policy.maxLoanMinutes = isNone(max) ? null : wholeNumber(max, '--max-loan-minutes', 1);
  const curfew = option(args, 'curfew');
  if (curfew !== undefined)
    policy.curfewMinute = isNone(curfew) ? null : clockMinute(curfew, '--curfew');
  const ret = option(args, 'return');
  if (ret !== undefined) policy.returnPolicy = oneOf(ret, '--return', RETURN_POLICIES);
  return policy;
}

export const keyCommands: Command[] = [
  {
    path: ['key', 'add'],
    summary: 'register a key: its fob tag, home slot, a label and its policy',
    usage: `key add --tag <fob-tag> --slot <home-slot> --label <label>
       ${POLICY_USAGE} ${AS_USAGE}

  --curfew: the local time of day by which the key is due back. --return any: the key may come
  back to any free slot with a fob reader (default home: its own slot only).`,
    options: {
      tag: { type: 'string' },
      slot: { type: 'string' },
      label: { type: 'string' },
      ...POLICY_OPTS,
      ...AS,
    },
    async run(args, io) {
      const tag = requireOption(args, 'tag');
      const slot = positiveInt(requireOption(args, 'slot'), '--slot');
      const label = freeText(requireOption(args, 'label'), '--label');
      const policy = policyOptions(args);
      const id = await withStore(args, ({ app }) => app.keys.add(tag, slot, label, policy));
      io.out(`key ${id} added: ${label.trim()} in slot ${slot}`);
    },
  },
  {
    path: ['key', 'set'],
    summary: "change a key's label, tier, loan limit, curfew or return policy",
    usage: `key set <key-id> [--label <label>] ${POLICY_USAGE} ${AS_USAGE}`,
    positionals: ['key-id'],
    options: { label: { type: 'string' }, ...POLICY_OPTS, ...AS },
    async run(args, io) {
      const id = idArg(args, 0, 'key-id');
      requireSome(args, ['label', 'tier', 'max-loan-minutes', 'curfew', 'return']);
      const patch: Partial<KeyFields> = policyOptions(args);
      const label = option(args, 'label');
      if (label !== undefined) patch.label = freeText(label, '--label');
      const changed = await withStore(args, ({ app }) => app.keys.update(id, patch));
      io.out(changed ? `key ${id} changed` : `key ${id} already so; nothing changed`);
    },
  },
  {
    path: ['key', 'set-state'],
    summary: 'mark a key lost, stolen or retired (never released again), or active',
    usage: `key set-state <key-id> active|lost|stolen|retired ${AS_USAGE}`,
    positionals: ['key-id', 'state'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'key-id');
      const state = oneOf(args.positionals[1] ?? '', 'state', KEY_STATES);
      const changed = await withStore(args, ({ app }) => app.keys.update(id, { state }));
      io.out(
        changed ? `key ${id} is now ${state}` : `key ${id} was already ${state}; nothing changed`,
      );
    },
  },
  {
    path: ['key', 'list'],
    summary: 'list keys with their slot, state, tier and loan rules',
    usage: 'key list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const rows = await ctx.app.keys.list();
        printRows(
          args,
          io,
          rows,
          [
            'ID',
            'LABEL',
            'TAG',
            'SLOT',
            'STATE',
            'TIER',
            'MAX-LOAN',
            'CURFEW',
            'RETURN',
            'OUT-WITH',
          ],
          (k) => [
            k.id,
            k.label,
            orDash(k.tag),
            orDash(k.homeSlot),
            k.state,
            orDash(k.tier),
            k.maxLoanMinutes === null ? '-' : `${k.maxLoanMinutes} min`,
            k.curfewMinute === null ? '-' : formatMinute(k.curfewMinute),
            k.returnPolicy,
            view.names.holder(k.outWith),
          ],
          'no keys yet (keywarden key add …)',
        );
      });
    },
  },
  {
    path: ['slot', 'list'],
    summary:
      'list slots: enabled, the key that lives there, whether it is home or out, and what was last seen in the slot',
    usage: 'slot list [--json]',
    options: JSON_OPT,
    async run(args, io) {
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const rows = await ctx.app.slots.list();
        printRows(
          args,
          io,
          rows,
          ['SLOT', 'ENABLED', 'KEY', 'STATE', 'STATUS', 'OUT-WITH', 'SINCE', 'IN SLOT'],
          (s) => [
            s.slot,
            s.enabled ? 'yes' : 'no',
            s.keyId === null ? '-' : `${s.keyLabel} (${s.keyId})`,
            orDash(s.keyState),
            s.status,
            view.names.holder(s.outWith),
            view.at(s.outSince),
            orDash(s.inSlot),
          ],
          'no slots',
        );
      });
    },
  },
];
