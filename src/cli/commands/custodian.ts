import { maskCard } from '../../log/mask-card.js';
import { positiveInt, requireOption, type Command, type OptionSpec } from '../command.js';
import { openCustodian, type CustodianContext } from '../context.js';
import type { ParsedArgs } from '../command.js';
import { table } from '../table.js';

const AS: OptionSpec = { as: { type: 'string' } };
const JSON_OPT: OptionSpec = { json: { type: 'boolean' } };

/** Opens the database, runs the change, and always closes it again. */
function withStore<T>(args: ParsedArgs, body: (ctx: CustodianContext) => T): T {
  const ctx = openCustodian(args);
  try {
    return body(ctx);
  } finally {
    ctx.close();
  }
}

export const custodianCommands: Command[] = [
  {
    path: ['holder', 'add'],
    summary: 'register a person who may use the cabinet',
    usage: 'holder add --name <name> [--as <custodian>]',
    options: { name: { type: 'string' }, ...AS },
    run(args, io) {
      const name = requireOption(args, 'name');
      const id = withStore(args, ({ store }) => store.addHolder(name));
      io.out(`holder ${id} added: ${name.trim()}`);
    },
  },
  {
    path: ['holder', 'list'],
    summary: 'list holders with their cards and permitted slots',
    usage: 'holder list [--json]',
    options: JSON_OPT,
    run(args, io) {
      const rows = withStore(args, ({ store }) => store.listHolders());
      if (args.values.json) {
        io.out(JSON.stringify(rows, null, 2));
        return;
      }
      io.out(
        table(
          ['ID', 'NAME', 'STATE', 'CARDS', 'SLOTS'],
          rows.map((h) => [
            h.id,
            h.name,
            h.enabled ? 'enabled' : 'disabled',
            h.cards,
            h.slots || '-',
          ]),
        ),
      );
    },
  },
  {
    path: ['holder', 'disable'],
    summary: 'disable a holder at once (departure): every badge of theirs is refused',
    usage: 'holder disable <holder-id> [--as <custodian>]',
    positionals: ['holder-id'],
    options: AS,
    run(args, io) {
      const id = positiveInt(args.positionals[0], 'holder-id');
      const changed = withStore(args, ({ store }) => store.disableHolder(id));
      io.out(
        changed ? `holder ${id} disabled` : `holder ${id} was already disabled; nothing changed`,
      );
    },
  },
  {
    path: ['credential', 'add'],
    summary: 'enrol a card for a holder (the number as the reader sends it)',
    usage: 'credential add --holder <holder-id> --card <card-number> [--as <custodian>]',
    options: { holder: { type: 'string' }, card: { type: 'string' }, ...AS },
    run(args, io) {
      const holder = positiveInt(requireOption(args, 'holder'), '--holder');
      const card = requireOption(args, 'card');
      const id = withStore(args, ({ store }) => store.addCredential(holder, card));
      io.out(
        `credential ${id} added: card ${maskCard(card.trim().toUpperCase())} for holder ${holder}`,
      );
    },
  },
  {
    path: ['key', 'add'],
    summary: 'register a key: its fob tag, home slot and a label',
    usage: 'key add --tag <fob-tag> --slot <home-slot> --label <label> [--as <custodian>]',
    options: {
      tag: { type: 'string' },
      slot: { type: 'string' },
      label: { type: 'string' },
      ...AS,
    },
    run(args, io) {
      const tag = requireOption(args, 'tag');
      const slot = positiveInt(requireOption(args, 'slot'), '--slot');
      const label = requireOption(args, 'label');
      const id = withStore(args, ({ store }) => store.addKey(tag, slot, label));
      io.out(`key ${id} added: ${label.trim()} in slot ${slot}`);
    },
  },
  {
    path: ['key', 'out'],
    summary: 'show which keys are out and with whom',
    usage: 'key out [--json]',
    options: JSON_OPT,
    run(args, io) {
      const rows = withStore(args, ({ store }) => store.keysOut());
      if (args.values.json) {
        io.out(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) {
        io.out('every key is in the cabinet');
        return;
      }
      io.out(
        table(
          ['KEY', 'LABEL', 'SLOT', 'HOLDER', 'SINCE'],
          rows.map((r) => [r.keyId, r.label, r.slot, `${r.holderName} (${r.holderId})`, r.outAt]),
        ),
      );
    },
  },
  {
    path: ['permission', 'grant'],
    summary: 'allow a holder to take the key of a slot',
    usage: 'permission grant --holder <holder-id> --slot <slot> [--as <custodian>]',
    options: { holder: { type: 'string' }, slot: { type: 'string' }, ...AS },
    run(args, io) {
      const holder = positiveInt(requireOption(args, 'holder'), '--holder');
      const slot = positiveInt(requireOption(args, 'slot'), '--slot');
      const changed = withStore(args, ({ store }) => store.grant(holder, slot));
      io.out(
        changed
          ? `holder ${holder} may now take slot ${slot}`
          : 'already permitted; nothing changed',
      );
    },
  },
  {
    path: ['permission', 'revoke'],
    summary: 'withdraw a holder’s permission for a slot',
    usage: 'permission revoke --holder <holder-id> --slot <slot> [--as <custodian>]',
    options: { holder: { type: 'string' }, slot: { type: 'string' }, ...AS },
    run(args, io) {
      const holder = positiveInt(requireOption(args, 'holder'), '--holder');
      const slot = positiveInt(requireOption(args, 'slot'), '--slot');
      const changed = withStore(args, ({ store }) => store.revoke(holder, slot));
      io.out(
        changed
          ? `holder ${holder} may no longer take slot ${slot}`
          : 'was not permitted; nothing changed',
      );
    },
  },
  {
    path: ['events'],
    summary: 'show the most recent events, oldest first',
    usage: 'events [--limit <n>] [--json]',
    options: { limit: { type: 'string' }, ...JSON_OPT },
    run(args, io) {
      const limitArg = args.values.limit;
      const limit = typeof limitArg === 'string' ? positiveInt(limitArg, '--limit') : 20;
      const events = withStore(args, ({ log }) => log.recent(limit));
      if (args.values.json) {
        io.out(JSON.stringify(events, null, 2));
        return;
      }
      io.out(
        table(
          ['SEQ', 'TIME', 'TYPE', 'DETAILS'],
          events.map((e) => [e.seq, e.time, e.type, JSON.stringify(e.data)]),
        ),
      );
    },
  },
];
