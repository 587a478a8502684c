import { MAX_REQUEST_WAIT_MS } from '../../app/daemon-requests.js';
import { KeywardenError } from '../../errors.js';
import { maskCard } from '../../domain/mask-card.js';
import type { CredentialFields } from '../../app/holder-operations.js';
import { instantOrNone, validity, wholeNumber } from '../../app/values.js';
import { checkCardForReader } from '../card-format.js';
import { positiveInt, requireOption, type Command, type CommandIo } from '../command.js';
import { SecretReader } from '../read-secret.js';
import { EXIT } from '../exit-codes.js';
import {
  AS,
  AS_USAGE,
  closeRequestOnInterrupt,
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

function setEnabled(enabled: boolean): Command {
  const verb = enabled ? 'enable' : 'disable';
  return {
    path: ['credential', verb],
    summary: enabled ? 'accept a disabled card again' : 'refuse a card from now on (lost badge)',
    usage: `credential ${verb} <credential-id> ${AS_USAGE}`,
    positionals: ['credential-id'],
    options: AS,
    async run(args, io) {
      const id = idArg(args, 0, 'credential-id');
      const changed = await withStore(args, ({ app }) => app.credentials.update(id, { enabled }));
      io.out(
        changed
          ? `credential ${id} ${verb}d`
          : `credential ${id} was already ${verb}d; nothing changed`,
      );
    },
  };
}

/** The card number, typed without echo or piped, so that it never appears in argv. */
function readCardNumber(io: CommandIo): Promise<string> {
  const input = io.stdin ?? process.stdin;
  // A prompt only where someone types: a script piping the number needs none.
  const reader = new SecretReader(input, (text) => {
    if (input.isTTY) process.stderr.write(text);
  });
  return reader.read('card number (not shown): ', 'card number');
}

export const credentialCommands: Command[] = [
  {
    path: ['credential', 'add'],
    summary: 'enrol a card for a holder (the number as the reader sends it)',
    usage: `credential add --holder <holder-id> [--card <card-number> | --card -] [--valid-from <time>] [--valid-until <time>] ${AS_USAGE}

  Without --card, or with --card -, the number is read without echo from the terminal, or as one
  line from a pipe: a number on the command line is visible to every local user in ps and is
  kept in sudo's journal and the shell's history.`,
    options: { holder: { type: 'string' }, card: { type: 'string' }, ...VALIDITY_OPTS, ...AS },
    async run(args, io) {
      const holder = positiveInt(requireOption(args, 'holder'), '--holder');
      const given = option(args, 'card');
      const card = given === undefined || given === '-' ? await readCardNumber(io) : given;
      const bounds = validity(option(args, 'valid-from'), option(args, 'valid-until'));
      const id = await withStore(args, async ({ app, profile }) => {
        checkCardForReader(card, profile.readers.badge);
        return await app.credentials.add(holder, card, bounds);
      });
      io.out(
        `credential ${id} added: card ${maskCard(card.trim().toUpperCase())} for holder ${holder}`,
      );
    },
  },
  {
    path: ['credential', 'enrol'],
    summary: 'enrol the next card tapped at the reader (the daemon must be running)',
    usage: `credential enrol <holder-id> [--timeout <seconds>] ${AS_USAGE}

  Prints "tap the card now" and waits (30 s unless --timeout): the running daemon takes the next
  badge as the new card instead of deciding it, and records credential.added in your name.`,
    positionals: ['holder-id'],
    options: { timeout: { type: 'string' }, ...AS },
    async run(args, io) {
      const holderId = idArg(args, 0, 'holder-id');
      const given = option(args, 'timeout');
      const seconds = given === undefined ? 30 : wholeNumber(given, '--timeout', 1);
      if (seconds * 1000 > MAX_REQUEST_WAIT_MS) {
        throw new KeywardenError(
          'USAGE',
          `--timeout must be at most ${MAX_REQUEST_WAIT_MS / 1000} seconds`,
        );
      }
      const outcome = await withStore(args, async ({ app }) => {
        const request = app.requests.enrolNextCard(holderId, seconds * 1000);
        // Hooked before the prompt: a Ctrl-C the moment the prompt shows must close the request.
        const unhook = closeRequestOnInterrupt(() => request.cancel());
        io.out(`tap the card now (holder ${holderId}; waiting ${seconds} s)`);
        try {
          return await request.outcome;
        } finally {
          unhook();
        }
      });
      if (outcome === null) {
        io.err(
          `keywarden credential enrol: no card was enrolled within ${seconds} s. Is the daemon running (systemctl status keywarden)? Was a card tapped?`,
        );
        return EXIT.failed;
      }
      if (typeof outcome.error === 'string') {
        io.err(`keywarden credential enrol: the card was read but not enrolled: ${outcome.error}`);
        return EXIT.failed;
      }
      io.out(
        `credential ${String(outcome.credentialId)} added: card ${String(outcome.card)} for holder ${holderId}`,
      );
      return undefined;
    },
  },
  setEnabled(false),
  setEnabled(true),
  {
    path: ['credential', 'set'],
    summary: "change a card's validity window",
    usage: `credential set <credential-id> [--valid-from <time>|none] [--valid-until <time>|none] ${AS_USAGE}`,
    positionals: ['credential-id'],
    options: { ...VALIDITY_OPTS, ...AS },
    async run(args, io) {
      const id = idArg(args, 0, 'credential-id');
      requireSome(args, ['valid-from', 'valid-until']);
      const patch: Partial<CredentialFields> = {};
      const from = option(args, 'valid-from');
      if (from !== undefined) patch.validFrom = instantOrNone(from, '--valid-from');
      const until = option(args, 'valid-until');
      if (until !== undefined) patch.validUntil = instantOrNone(until, '--valid-until');
      const changed = await withStore(args, ({ app }) => app.credentials.update(id, patch));
      io.out(changed ? `credential ${id} changed` : `credential ${id} already so; nothing changed`);
    },
  },
  {
    path: ['credential', 'list'],
    summary: 'list cards (shortened), their state, validity and PIN',
    usage: 'credential list [--holder <holder-id>] [--json]',
    options: { holder: { type: 'string' }, ...JSON_OPT },
    async run(args, io) {
      const given = option(args, 'holder');
      const holder = given === undefined ? undefined : positiveInt(given, '--holder');
      await withStore(args, async (ctx) => {
        // Printed inside withStore: the names come from the same records as the rows.
        const view = await readableView(ctx);
        const rows = await ctx.app.credentials.list(holder);
        printRows(
          args,
          io,
          rows,
          ['ID', 'CARD', 'HOLDER', 'STATE', 'VALID', 'PIN'],
          (c) => [
            c.id,
            c.card,
            `${c.holderName} (${c.holderId})`,
            c.enabled ? 'enabled' : 'disabled',
            view.window(c.validFrom, c.validUntil),
            [c.pin ? 'set' : '', c.duressPin ? 'duress' : '', c.pinRequired ? 'required' : '']
              .filter(Boolean)
              .join(',') || '-',
          ],
          'no cards',
        );
      });
    },
  },
];
